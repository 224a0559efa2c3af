package dev.todoke.storage;

import static dev.todoke.storage.BlobStoreContract.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against real S3 over HTTP: S3Proxy in-process. */
class S3BlobStoreTest implements BlobStoreContract {

    static S3ProxyServer server;

    S3BlobStore store;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static String newBucket() {
        return "todoke-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    @BeforeEach
    void setUp() {
        store = S3BlobStore.connect(server.settings(newBucket()), new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Test
    void connectWhenBucketExistsThenReusesItAndSeesItsObjects() throws IOException {
        String bucket = newBucket();
        String key;
        try (S3BlobStore first = S3BlobStore.connect(server.settings(bucket), new SecureRandom())) {
            key = first.put(new ByteArrayInputStream(new byte[] {5})).key();
        }

        try (S3BlobStore second = S3BlobStore.connect(server.settings(bucket), new SecureRandom())) {
            assertThat(read(second.open(key))).containsExactly(5);
        }
    }

    @Test
    void connectWhenSecretIsWrongThenStorageExceptionWithoutSdkTypes() {
        S3Settings wrong = S3Settings.pathStyle(server.endpoint(), newBucket(), S3ProxyServer.ACCESS_KEY, "wrong");

        assertThatThrownBy(() -> S3BlobStore.connect(wrong, new SecureRandom()))
                .isExactlyInstanceOf(StorageException.class)
                .hasMessageContaining(server.endpoint())
                .hasNoCause();
    }

    @Test
    void connectWhenNothingListensThenStorageException() {
        S3Settings nowhere = S3Settings.pathStyle("http://127.0.0.1:9", newBucket(), "a", "b");

        assertThatThrownBy(() -> S3BlobStore.connect(nowhere, new SecureRandom()))
                .isExactlyInstanceOf(StorageException.class)
                .hasMessageContaining("127.0.0.1:9");
    }

    @Test
    void putWhenLargerThanOnePartThenStoredByMultipartUpload() throws IOException {
        byte[] content = TestData.bytes(12 * 1024 * 1024 + 3, 30); // three 5 MiB parts

        StoredBlob stored = store.put(new ByteArrayInputStream(content));

        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(read(store.open(stored.key()))).isEqualTo(content);
        assertThat(read(store.open(stored.key(), 5 * 1024 * 1024 - 5, 10)))
                .isEqualTo(java.util.Arrays.copyOfRange(content, 5 * 1024 * 1024 - 5, 5 * 1024 * 1024 + 5));
    }
}
