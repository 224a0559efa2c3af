package dev.todoke.storage;

import static dev.todoke.storage.BlobStoreContract.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link BlobStoreContract} for {@link EncryptingBlobStore} over a backend, plus what encryption must
 * guarantee: tampering, truncation, reordering and wrong keys fail clearly, rotation keeps old blobs
 * readable, the backend never sees plaintext, ranges decrypt only the segments they touch.
 */
interface EncryptingBlobStoreContract extends BlobStoreContract {

    int SEGMENT = EncryptingBlobStore.DEFAULT_SEGMENT_SIZE;

    /** The raw backend the encrypting store writes to; the same instance within one test. */
    BlobStore backend();

    @Override
    default BlobStore store() {
        return encrypting(TestKeys.first());
    }

    default EncryptingBlobStore encrypting(KeyRing keys) {
        return new EncryptingBlobStore(backend(), keys, new SecureRandom());
    }

    /** Stores a modified copy of a blob's ciphertext and returns the copy's key. */
    default String tamperedCopy(String key, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        byte[] raw = read(backend().open(key));
        return backend().put(new ByteArrayInputStream(change.apply(raw))).key();
    }

    /** Offset in the stored object where Tink's ciphertext (its own header first) begins. */
    default int ciphertextStart(String key) throws IOException {
        return EnvelopeHeader.read(backend().open(key, 0, EnvelopeHeader.MAX_LENGTH))
                .length();
    }

    private void assertIntegrityFailure(ThrowingCallable readAll, String messagePart) {
        assertThatThrownBy(readAll)
                .satisfiesAnyOf(
                        e -> assertThat(e)
                                .isInstanceOf(BlobIntegrityException.class)
                                .hasMessageContaining(messagePart),
                        e -> assertThat(e)
                                .isInstanceOf(IOException.class)
                                .cause()
                                .isInstanceOf(BlobIntegrityException.class)
                                .hasMessageContaining(messagePart));
    }

    private void assertWholeAndRangesFail(String key, long plaintextSize) {
        assertIntegrityFailure(() -> read(store().open(key)), "");
        assertIntegrityFailure(() -> read(store().open(key, 0, plaintextSize)), "");
    }

    @Test
    default void openWhenOneCiphertextByteFlippedThenIntegrityFailure() throws IOException {
        byte[] content = TestData.bytes(3 * SEGMENT, 10);
        String key = store().put(new ByteArrayInputStream(content)).key();
        int start = ciphertextStart(key);

        for (int offset : new int[] {start + 60, start + SEGMENT + 100, start + 3 * SEGMENT}) {
            String tampered = tamperedCopy(key, raw -> {
                raw[Math.min(offset, raw.length - 1)] ^= 0x01;
                return raw;
            });
            assertWholeAndRangesFail(tampered, content.length);
        }
        assertThat(read(store().open(key))).isEqualTo(content);
    }

    @Test
    default void openWhenHeaderByteFlippedThenIntegrityFailureNamingTheHeader() throws IOException {
        String key =
                store().put(new ByteArrayInputStream(TestData.bytes(1000, 11))).key();

        String badSegmentSize = tamperedCopy(key, raw -> {
            raw[7] ^= 0x01; // segment size field: authenticated by the key wrap
            return raw;
        });
        String badWrappedKey = tamperedCopy(key, raw -> {
            raw[20] ^= 0x01;
            return raw;
        });
        String badMagic = tamperedCopy(key, raw -> {
            raw[0] = 'X';
            return raw;
        });

        assertIntegrityFailure(() -> read(store().open(badWrappedKey)), "blob header was altered");
        assertIntegrityFailure(() -> read(store().open(badMagic)), "not a Todoke encrypted blob");
        assertThatThrownBy(() -> read(store().open(badSegmentSize))).isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    default void openWhenLastSegmentDroppedThenIntegrityFailure() throws IOException {
        byte[] content = TestData.bytes(3 * SEGMENT + 500, 12);
        String key = store().put(new ByteArrayInputStream(content)).key();
        int start = ciphertextStart(key);
        // segments: [Tink header + seg0] = SEGMENT bytes, then SEGMENT each; the last one is partial
        String truncated = tamperedCopy(key, raw -> Arrays.copyOf(raw, start + 3 * SEGMENT));

        assertIntegrityFailure(() -> read(store().open(truncated)), "failed authentication");
        assertIntegrityFailure(() -> read(store().open(truncated, 2 * SEGMENT, SEGMENT)), "");
    }

    @Test
    default void openWhenCutInsideASegmentThenIntegrityFailure() throws IOException {
        byte[] content = TestData.bytes(2 * SEGMENT, 13);
        String key = store().put(new ByteArrayInputStream(content)).key();

        String truncated = tamperedCopy(key, raw -> Arrays.copyOf(raw, raw.length - 1));
        String headerOnly = tamperedCopy(key, raw -> Arrays.copyOf(raw, 30));

        assertIntegrityFailure(() -> read(store().open(truncated)), "");
        assertIntegrityFailure(() -> read(store().open(headerOnly)), "truncated");
    }

    @Test
    default void openWhenTwoSegmentsSwappedThenIntegrityFailure() throws IOException {
        byte[] content = TestData.bytes(4 * SEGMENT, 14);
        String key = store().put(new ByteArrayInputStream(content)).key();
        int start = ciphertextStart(key);

        String swapped = tamperedCopy(key, raw -> {
            byte[] copy = raw.clone();
            int one = start + SEGMENT;
            int two = start + 2 * SEGMENT;
            System.arraycopy(raw, one, copy, two, SEGMENT);
            System.arraycopy(raw, two, copy, one, SEGMENT);
            return copy;
        });

        assertIntegrityFailure(() -> read(store().open(swapped)), "failed authentication");
        assertIntegrityFailure(() -> read(store().open(swapped, SEGMENT + 10, 100)), "failed authentication");
    }

    @Test
    default void openWhenKekHasSameIdButDifferentKeyThenIntegrityFailureNamingTheKey() {
        String key =
                store().put(new ByteArrayInputStream(TestData.bytes(1000, 15))).key();
        EncryptingBlobStore wrongKey = encrypting(KeyRing.of(Map.of("k1", TestKeys.OTHER), "k1"));

        assertIntegrityFailure(() -> read(wrongKey.open(key)), "key-encryption key 'k1'");
        assertIntegrityFailure(() -> read(wrongKey.open(key, 0, 10)), "not the one it was written with");
    }

    @Test
    default void openWhenKekIdNotInRingThenIntegrityFailureNamingTheId() {
        String key =
                store().put(new ByteArrayInputStream(TestData.bytes(1000, 16))).key();
        EncryptingBlobStore otherRing = encrypting(KeyRing.of(Map.of("k9", TestKeys.OLD), "k9"));

        assertIntegrityFailure(() -> read(otherRing.open(key)), "'k1', which is not in the key ring");
    }

    @Test
    default void openWhenWrittenUnderOldPrimaryThenReadableAfterRotation() throws IOException {
        byte[] before = TestData.bytes(2 * SEGMENT + 5, 17);
        byte[] after = TestData.bytes(1234, 18);
        String oldKey = encrypting(TestKeys.first())
                .put(new ByteArrayInputStream(before))
                .key();

        EncryptingBlobStore rotated = encrypting(TestKeys.rotated());
        String newKey = rotated.put(new ByteArrayInputStream(after)).key();

        assertThat(read(rotated.open(oldKey))).isEqualTo(before);
        assertThat(read(rotated.open(oldKey, SEGMENT, 100)))
                .isEqualTo(Arrays.copyOfRange(before, SEGMENT, SEGMENT + 100));
        assertThat(read(rotated.open(newKey))).isEqualTo(after);
        assertThat(EnvelopeHeader.read(backend().open(newKey)).kekId()).isEqualTo("k2");
        // the old ring cannot read what the new primary wrote
        assertIntegrityFailure(() -> read(encrypting(TestKeys.first()).open(newKey)), "'k2'");
    }

    @Test
    default void putWhenPlaintextStoredThenBackendBytesContainNoRunOfIt() throws IOException {
        byte[] random = TestData.bytes(100_000, 19);
        byte[] text = "Quarterly results, CONFIDENTIAL. ".repeat(3000).getBytes(StandardCharsets.UTF_8);
        for (byte[] content : new byte[][] {random, text}) {
            String key = store().put(new ByteArrayInputStream(content)).key();
            byte[] stored = read(backend().open(key));

            Set<ByteBuffer> windows = new HashSet<>();
            for (int i = 0; i + 16 <= stored.length; i++) {
                windows.add(ByteBuffer.wrap(stored, i, 16).slice());
            }
            for (int i = 0; i + 16 <= content.length; i++) {
                assertThat(windows.contains(ByteBuffer.wrap(content, i, 16).slice()))
                        .as("plaintext window at %d found in stored bytes", i)
                        .isFalse();
            }
            assertThat(stored.length).isGreaterThan(content.length);
        }
    }

    @Test
    default void putWhenSameContentTwiceThenCiphertextsDiffer() throws IOException {
        byte[] content = TestData.bytes(5000, 20);

        byte[] first = read(
                backend().open(store().put(new ByteArrayInputStream(content)).key()));
        byte[] second = read(
                backend().open(store().put(new ByteArrayInputStream(content)).key()));

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    default void openWhenSmallRangeInLargeBlobThenOnlyTouchedSegmentsAreRead() throws IOException {
        byte[] content = TestData.bytes(20 * SEGMENT, 21);
        AtomicLong backendBytes = new AtomicLong();
        BlobStore counting = new CountingBlobStore(backend(), backendBytes);
        EncryptingBlobStore store = new EncryptingBlobStore(counting, TestKeys.first(), new SecureRandom());
        String key = store.put(new ByteArrayInputStream(content)).key();

        backendBytes.set(0);
        byte[] range = read(store.open(key, 10 * SEGMENT + 100, 2 * SEGMENT));

        assertThat(range).isEqualTo(Arrays.copyOfRange(content, 10 * SEGMENT + 100, 12 * SEGMENT + 100));
        // header + at most 3 segments (the range straddles them), not the 20 of the whole blob
        assertThat(backendBytes.get()).isLessThanOrEqualTo(4L * SEGMENT);
    }

    @Test
    default void sizeWhenPlaintextFillsSegmentsExactlyThenReportsPlaintextSize() throws IOException {
        int firstSegment = SEGMENT - 16 - 40;
        for (int size : new int[] {
            firstSegment - 1, firstSegment, firstSegment + 1, firstSegment + SEGMENT - 16, firstSegment + SEGMENT - 15
        }) {
            byte[] content = TestData.bytes(size, size);
            String key = store().put(new ByteArrayInputStream(content)).key();

            assertThat(store().size(key)).as("size %d", size).isEqualTo(size);
            assertThat(read(store().open(key))).isEqualTo(content);
            assertThat(read(store().open(key, size - 1, 10))).containsExactly(content[size - 1]);
        }
    }

    /** Counts the bytes read from a backend. */
    final class CountingBlobStore implements BlobStore {
        private final BlobStore delegate;
        private final AtomicLong bytes;

        CountingBlobStore(BlobStore delegate, AtomicLong bytes) {
            this.delegate = delegate;
            this.bytes = bytes;
        }

        @Override
        public StoredBlob put(InputStream content) {
            return delegate.put(content);
        }

        @Override
        public InputStream open(String key) {
            return counted(delegate.open(key));
        }

        @Override
        public InputStream open(String key, long offset, long length) {
            return counted(delegate.open(key, offset, length));
        }

        private InputStream counted(InputStream in) {
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            };
        }

        @Override
        public long size(String key) {
            return delegate.size(key);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }
    }
}
