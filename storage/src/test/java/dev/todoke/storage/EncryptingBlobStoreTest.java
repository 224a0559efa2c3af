package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingBlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void warmUpWhenRunThenLeavesTheBackendEmpty() throws Exception {
        FileSystemBlobStore backend = new FileSystemBlobStore(dir, new SecureRandom());
        EncryptingBlobStore store = new EncryptingBlobStore(backend, TestKeys.first(), new SecureRandom());

        Thread warmUp = store.warmUpInBackground(16L * 1024 * 1024);
        warmUp.join(60_000);

        assertThat(warmUp.isAlive()).isFalse();
        try (var files = java.nio.file.Files.walk(dir)) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void constructorWhenSegmentSizeOutOfRangeThenIllegalArgument() {
        FileSystemBlobStore backend = new FileSystemBlobStore(dir, new SecureRandom());

        assertThatThrownBy(() -> new EncryptingBlobStore(backend, TestKeys.first(), new SecureRandom(), 1024))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putWhenSegmentSizeDiffersThenBlobKeepsItsOwnSegmentSizeForReading() throws Exception {
        FileSystemBlobStore backend = new FileSystemBlobStore(dir, new SecureRandom());
        byte[] content = TestData.bytes(50_000, 40);
        String key = new EncryptingBlobStore(backend, TestKeys.first(), new SecureRandom(), 4096)
                .put(new java.io.ByteArrayInputStream(content))
                .key();

        EncryptingBlobStore reader = new EncryptingBlobStore(backend, TestKeys.first(), new SecureRandom());

        assertThat(BlobStoreContract.read(reader.open(key))).isEqualTo(content);
        assertThat(BlobStoreContract.read(reader.open(key, 4000, 9000)))
                .isEqualTo(java.util.Arrays.copyOfRange(content, 4000, 13000));
        assertThat(reader.size(key)).isEqualTo(content.length);
    }
}
