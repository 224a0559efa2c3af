package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BlobStore} keeps (Apache James style: implement {@link #store()} and the
 * tests run against that backend).
 */
interface BlobStoreContract {

    /** The store under test; the same instance within one test. */
    BlobStore store();

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    default void putWhenContentGivenThenOpenReturnsTheSameBytesAndSize() throws IOException {
        byte[] content = TestData.bytes(300_000, 1);

        StoredBlob stored = store().put(new ByteArrayInputStream(content));

        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(read(store().open(stored.key()))).isEqualTo(content);
        assertThat(store().size(stored.key())).isEqualTo(content.length);
    }

    @Test
    default void putWhenEmptyThenOpenReturnsNothing() throws IOException {
        StoredBlob stored = store().put(InputStream.nullInputStream());

        assertThat(stored.size()).isZero();
        assertThat(read(store().open(stored.key()))).isEmpty();
        assertThat(store().size(stored.key())).isZero();
        assertThat(read(store().open(stored.key(), 0, 10))).isEmpty();
    }

    @Test
    default void putWhenOneByteThenOpenAndRangesReturnIt() throws IOException {
        StoredBlob stored = store().put(new ByteArrayInputStream(new byte[] {42}));

        assertThat(stored.size()).isEqualTo(1);
        assertThat(read(store().open(stored.key()))).containsExactly(42);
        assertThat(read(store().open(stored.key(), 0, 1))).containsExactly(42);
        assertThat(read(store().open(stored.key(), 0, 100))).containsExactly(42);
        assertThat(read(store().open(stored.key(), 1, 5))).isEmpty();
        assertThat(store().size(stored.key())).isEqualTo(1);
    }

    @Test
    default void putWhenStreamSlowlyDeliversSmallChunksThenAllBytesAreStored() throws IOException {
        byte[] content = TestData.bytes(200_001, 2);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 777));
            }
        };

        StoredBlob stored = store().put(trickle);

        assertThat(read(store().open(stored.key()))).isEqualTo(content);
    }

    @Test
    default void putWhenCalledThenStreamIsNotClosed() {
        boolean[] closed = {false};
        InputStream content = new ByteArrayInputStream(new byte[] {1, 2, 3}) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        store().put(content);

        assertThat(closed[0]).isFalse();
    }

    @Test
    default void putWhenSameContentTwiceThenKeysAreDifferentAndNotDerivedFromContent() {
        byte[] content = "same content".getBytes();

        String first = store().put(new ByteArrayInputStream(content)).key();
        String second = store().put(new ByteArrayInputStream(content)).key();

        assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    default void openWhenRangesAcrossSegmentBoundariesThenReturnsExactlyThoseBytes() throws IOException {
        // 64 KiB segments: boundaries near 65,480 (first segment) and then every 65,520 plaintext bytes
        byte[] content = TestData.bytes(400_000, 3);
        String key = store().put(new ByteArrayInputStream(content)).key();
        long[][] ranges = {
            {0, 10},
            {0, 65_536},
            {65_470, 30},
            {65_479, 2},
            {65_480, 1},
            {131_000, 2_000},
            {65_000, 200_000},
            {1, 399_999},
            {399_999, 1},
            {399_990, 100},
            {200_000, 0},
            {123_457, 65_520},
            {0, 400_000}
        };
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = (int) Math.min(content.length, r[0] + r[1]);
            assertThat(read(store().open(key, r[0], r[1])))
                    .as("range %d+%d", r[0], r[1])
                    .isEqualTo(Arrays.copyOfRange(content, from, to));
        }
    }

    @Test
    default void openWhenRangeStartsAtOrPastEndThenEmpty() throws IOException {
        String key =
                store().put(new ByteArrayInputStream(TestData.bytes(1000, 4))).key();

        assertThat(read(store().open(key, 1000, 10))).isEmpty();
        assertThat(read(store().open(key, 5000, 10))).isEmpty();
    }

    @Test
    default void openWhenRangeIsNegativeThenIllegalArgument() {
        String key = store().put(new ByteArrayInputStream(new byte[10])).key();

        assertThatThrownBy(() -> store().open(key, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().open(key, 0, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void openWhenKeyUnknownThenBlobNotFound() {
        String unknown = "AAAAAAAAAAAAAAAAAAAAAA";

        assertThatThrownBy(() -> store().open(unknown)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store().open(unknown, 0, 10)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store().size(unknown)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    default void openWhenKeyTriesPathTraversalThenBlobNotFound() {
        for (String key : List.of("../../../../etc/passwd", "..", "/etc/passwd", "a/../../b", "", "ab\\..\\cd")) {
            assertThatThrownBy(() -> store().open(key)).as(key).isInstanceOf(BlobNotFoundException.class);
            assertThatThrownBy(() -> store().size(key)).as(key).isInstanceOf(BlobNotFoundException.class);
            store().delete(key); // no-op, no exception
        }
    }

    @Test
    default void deleteWhenBlobExistsThenItIsGoneAndDeletingAgainIsFine() {
        String key = store().put(new ByteArrayInputStream(new byte[] {1})).key();

        store().delete(key);
        store().delete(key);

        assertThatThrownBy(() -> store().open(key)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store().size(key)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    default void putWhenSourceFailsThenStorageException() {
        InputStream failing = new InputStream() {
            private int calls;

            @Override
            public int read() throws IOException {
                return read(new byte[1], 0, 1) < 0 ? -1 : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++calls > 3) {
                    throw new IOException("client went away");
                }
                return Math.min(len, 1000);
            }
        };

        assertThatThrownBy(() -> store().put(failing)).isInstanceOf(StorageException.class);
    }

    @Test
    default void putWhenConcurrentThenEveryBlobReadsBackIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StoredBlob>> puts = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] content = TestData.bytes(50_000 + i, 100 + i);
                contents.add(content);
                puts.add(pool.submit(() -> store().put(new ByteArrayInputStream(content))));
            }
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < puts.size(); i++) {
                StoredBlob stored = puts.get(i).get();
                keys.add(stored.key());
                assertThat(read(store().open(stored.key()))).isEqualTo(contents.get(i));
            }
            assertThat(keys).hasSize(8);
        } finally {
            pool.shutdownNow();
        }
    }
}
