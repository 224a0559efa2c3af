package dev.todoke.storage;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header in front of every encrypted object (version 1):
 *
 * <pre>
 * magic "TDKE" (4) | version 1 (1) | ciphertext segment size (4, big-endian)
 *   | KEK id length n (1) | KEK id (n, ASCII) | wrapped data key (60)
 * </pre>
 *
 * Everything before the wrapped key is the associated data of the key wrap; the whole header is the
 * associated data of the content's streaming AEAD. Changing any header byte therefore fails
 * decryption.
 */
record EnvelopeHeader(int segmentSize, String kekId, byte[] wrappedKey, byte[] bytes) {

    static final byte[] MAGIC = {'T', 'D', 'K', 'E'};
    static final int VERSION = 1;
    static final int MIN_SEGMENT_SIZE = 4 * 1024;
    static final int MAX_SEGMENT_SIZE = 8 * 1024 * 1024;
    private static final int FIXED = MAGIC.length + 1 + 4 + 1;
    static final int MAX_LENGTH = FIXED + 255 + KeyRing.WRAPPED_KEY_LENGTH;

    /** The bytes the key wrap authenticates: everything before the wrapped key. */
    static byte[] prefix(int segmentSize, String kekId) {
        byte[] id = kekId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(FIXED + id.length)
                .put(MAGIC)
                .put((byte) VERSION)
                .putInt(segmentSize)
                .put((byte) id.length)
                .put(id)
                .array();
    }

    static EnvelopeHeader create(int segmentSize, String kekId, byte[] prefix, byte[] wrappedKey) {
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + wrappedKey.length);
        System.arraycopy(wrappedKey, 0, bytes, prefix.length, wrappedKey.length);
        return new EnvelopeHeader(segmentSize, kekId, wrappedKey, bytes);
    }

    int length() {
        return bytes.length;
    }

    byte[] prefix() {
        return Arrays.copyOf(bytes, bytes.length - wrappedKey.length);
    }

    /**
     * Reads a header from the start of {@code in}, consuming exactly its bytes.
     *
     * @throws BlobIntegrityException when the bytes are not a version 1 header
     */
    static EnvelopeHeader read(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(MAX_LENGTH);
        byte[] fixed = readExactly(in, FIXED, seen);
        if (!Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BlobIntegrityException("not a Todoke encrypted blob: wrong magic bytes");
        }
        int version = fixed[4] & 0xff;
        if (version != VERSION) {
            throw new BlobIntegrityException("unknown encrypted blob format version " + version);
        }
        int segmentSize = ByteBuffer.wrap(fixed, 5, 4).getInt();
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new BlobIntegrityException("corrupt blob header: segment size " + segmentSize);
        }
        int idLength = fixed[9] & 0xff;
        if (idLength == 0) {
            throw new BlobIntegrityException("corrupt blob header: empty key-encryption key id");
        }
        String kekId = new String(readExactly(in, idLength, seen), StandardCharsets.US_ASCII);
        byte[] wrapped = readExactly(in, KeyRing.WRAPPED_KEY_LENGTH, seen);
        return new EnvelopeHeader(segmentSize, kekId, wrapped, seen.toByteArray());
    }

    private static byte[] readExactly(InputStream in, int n, ByteArrayOutputStream seen) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new BlobIntegrityException(
                    "truncated blob: it ends inside its header", new EOFException("header cut short"));
        }
        seen.write(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeHeader other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "EnvelopeHeader[segmentSize=" + segmentSize + ", kekId=" + kekId + "]";
    }
}
