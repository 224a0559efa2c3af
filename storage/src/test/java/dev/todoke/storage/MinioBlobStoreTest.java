package dev.todoke.storage;

import dev.todoke.testkit.Components;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;

/** The encrypting contract against a real MinIO server, where a container engine exists. */
class MinioBlobStoreTest implements EncryptingBlobStoreContract {

    static MinIOContainer minio;

    S3BlobStore backend;

    @BeforeAll
    static void startMinio() {
        if (dockerAvailable()) {
            minio = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");
            minio.start();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
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
        backend = S3BlobStore.connect(
                S3Settings.pathStyle(
                        minio.getS3URL(), S3BlobStoreTest.newBucket(), minio.getUserName(), minio.getPassword()),
                new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    public BlobStore backend() {
        return backend;
    }
}
