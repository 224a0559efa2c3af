package dev.todoke.storage;

import dev.todoke.testkit.Components;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;

/**
 * A real MinIO server through Testcontainers, where a container engine exists (skipped otherwise),
 * and a fresh bucket with an {@link S3BlobStore} on it for each test. One container serves every test
 * class of the run; Testcontainers removes it when the JVM ends.
 */
abstract class MinioFixture {

    private static MinIOContainer minio;
    private static boolean tried;

    S3BlobStore s3;

    @BeforeEach
    void connectToMinio() {
        MinIOContainer server = startIfPossible();
        Components.requireContainerEngine(server != null);
        s3 = S3BlobStore.connect(
                S3Settings.pathStyle(
                        server.getS3URL(), S3BlobStoreTest.newBucket(), server.getUserName(), server.getPassword()),
                new SecureRandom());
    }

    @AfterEach
    void closeMinioStore() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** The started container, or null when there is no container engine. */
    private static synchronized MinIOContainer startIfPossible() {
        if (!tried) {
            tried = true;
            if (dockerAvailable()) {
                minio = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");
                minio.start();
            }
        }
        return minio;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
