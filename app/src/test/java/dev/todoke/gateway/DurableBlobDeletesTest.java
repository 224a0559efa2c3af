package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.database.Durability;
import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blob is deleted only once the rows naming it are durably gone (ADR 0190); the rest passes through. */
class DurableBlobDeletesTest {

    @TempDir
    Path dir;

    @Test
    void deleteWhenCalledThenABarrierBeforeTheBlobGoesAndOtherCallsPassThrough() throws Exception {
        FileSystemBlobStore files = new FileSystemBlobStore(dir, new SecureRandom());
        List<String> events = new ArrayList<>();
        String key = files.put(new ByteArrayInputStream(new byte[] {1, 2, 3})).key();
        BlobStore store = new DurableBlobDeletes(files, new Durability() {
            @Override
            public void barrier() {
                events.add("barrier, blob there: " + exists(files, key));
            }

            @Override
            public Scope deferred() {
                return () -> {};
            }
        });

        assertThat(store.size(key)).isEqualTo(3);
        try (InputStream in = store.open(key, 1, 5)) {
            assertThat(in.readAllBytes()).containsExactly(2, 3);
        }
        assertThat(events).isEmpty();

        store.delete(key);

        assertThat(events).containsExactly("barrier, blob there: true");
        assertThatThrownBy(() -> files.open(key)).isInstanceOf(BlobNotFoundException.class);
        assertThat(store.put(new ByteArrayInputStream(new byte[] {4})).size()).isEqualTo(1);
    }

    private static boolean exists(BlobStore store, String key) {
        try {
            store.size(key);
            return true;
        } catch (BlobNotFoundException e) {
            return false;
        }
    }
}
