package dev.todoke.storage;

import dev.todoke.testkit.Components;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.containers.MinIOContainer;

/** The plain contract of {@link S3BlobStore} against a real MinIO server, where a container engine exists. */
class MinioRawBlobStoreTest implements BlobStoreContract {

    static MinIOContainer minio;

    S3BlobStore store;

    @BeforeAll
    static void startMinio() {
        minio = MinioBlobStoreTest.startIfPossible();
    }

    @AfterAll
    static void stopMinio() {
        if (minio != null) {
            minio.stop();
        }
    }

    @BeforeEach
    void setUp() {
        Components.requireContainerEngine(minio != null);
        store = S3BlobStore.connect(
                S3Settings.pathStyle(
                        minio.getS3URL(), S3BlobStoreTest.newBucket(), minio.getUserName(), minio.getPassword()),
                new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public BlobStore store() {
        return store;
    }
}
