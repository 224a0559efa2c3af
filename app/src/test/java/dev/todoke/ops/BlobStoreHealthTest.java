package dev.todoke.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.storage.BlobStore;
import dev.todoke.storage.MemoryBlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.storage.StoredBlob;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class BlobStoreHealthTest {

    @Test
    void healthWhenTheStoreAnswersNotFoundThenUp() {
        assertThat(new BlobStoreHealth(new MemoryBlobStore()).health().getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void healthWhenTheStoreFailsThenDownWithoutTheMessage() {
        var health = new BlobStoreHealth(new Unreachable()).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "StorageException");
    }

    /** A store whose server is gone: every call fails. */
    private static final class Unreachable implements BlobStore {
        @Override
        public StoredBlob put(InputStream content) {
            throw failure();
        }

        @Override
        public InputStream open(String key) {
            throw failure();
        }

        @Override
        public InputStream open(String key, long offset, long length) {
            throw failure();
        }

        @Override
        public long size(String key) {
            throw failure();
        }

        @Override
        public void delete(String key) {
            throw failure();
        }

        private static StorageException failure() {
            return new StorageException("connection refused: http://s3.internal:9000", null);
        }
    }
}
