package dev.todoke.storage;

import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class EncryptingS3BlobStoreTest implements EncryptingBlobStoreContract {

    static S3ProxyServer server;

    S3BlobStore backend;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        backend = S3BlobStore.connect(server.settings(S3BlobStoreTest.newBucket()), new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Override
    public BlobStore backend() {
        return backend;
    }
}
