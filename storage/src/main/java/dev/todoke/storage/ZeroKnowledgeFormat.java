package dev.todoke.storage;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.Hkdf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The zero-knowledge format (docs/zero-knowledge.md): content encrypted under a data key that the server
 * does not keep, in a layout a browser decrypts with WebCrypto alone, and the data key wrapped under a
 * key derived from a recipient's link secret.
 *
 * <pre>
 * header H: magic "TDKZ" (4) | version 1 (1) | ciphertext segment size S (4, big-endian)
 * then Tink AES-GCM-HKDF streaming ciphertext with associated data H:
 *   0x28 (1) | salt (32) | nonce prefix (7) | segment 0 (S - 40 bytes) | segment 1 (S) | ... | last (16..S)
 *   segment key = HKDF-SHA256(ikm = data key, salt, info = H, 32 bytes)
 *   segment i   = AES-256-GCM(segment key, nonce = prefix | i (4, big-endian) | last ? 1 : 0), tag 16
 * wrapped key: nonce (12) | AES-256-GCM(wrap key, nonce, data key, aad = "TDKZ1"), 60 bytes
 *   wrap key = HKDF-SHA256(ikm = link secret (32), salt empty, info = "todoke zero-knowledge key wrap v1")
 * </pre>
 *
 * Stateless, thread-safe. Nothing here keeps a key.
 */
public final class ZeroKnowledgeFormat {

    public static final int KEY_LENGTH = 32;
    public static final int WRAPPED_KEY_LENGTH = 12 + KEY_LENGTH + 16;
    static final byte[] MAGIC = {'T', 'D', 'K', 'Z'};
    static final int VERSION = 1;
    static final int HEADER_LENGTH = MAGIC.length + 1 + 4;
    private static final int TINK_HEADER_LENGTH = 1 + KEY_LENGTH + 7;
    private static final int TAG_LENGTH = 16;
    private static final String HKDF = "HmacSha256";
    private static final byte[] WRAP_INFO = "todoke zero-knowledge key wrap v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRAP_AAD = "TDKZ1".getBytes(StandardCharsets.US_ASCII);

    private ZeroKnowledgeFormat() {}

    /** A new random 32-byte key (a data key or a link secret). */
    public static byte[] newKey(SecureRandom random) {
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /**
     * The ciphertext of {@code plaintext}, pulled as it is read: one segment of each is buffered. The
     * plaintext stream is not closed.
     */
    public static InputStream encrypt(InputStream plaintext, byte[] dataKey) {
        return encrypt(plaintext, dataKey, EncryptingBlobStore.DEFAULT_SEGMENT_SIZE);
    }

    static InputStream encrypt(InputStream plaintext, byte[] dataKey, int segmentSize) {
        byte[] header = header(segmentSize);
        try {
            return new EncryptingInputStream(plaintext, streaming(dataKey, segmentSize), header);
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot encrypt: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of a whole ciphertext; a failed authentication (wrong key, tampering, truncation)
     * surfaces from {@code read} as an {@link IOException}. For tests and tools: the server never holds
     * a data key after the message was processed.
     */
    public static InputStream decrypt(InputStream ciphertext, byte[] dataKey) throws IOException {
        byte[] header = ciphertext.readNBytes(HEADER_LENGTH);
        if (header.length < HEADER_LENGTH || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BlobIntegrityException("not a zero-knowledge ciphertext: wrong magic bytes");
        }
        if ((header[4] & 0xff) != VERSION) {
            throw new BlobIntegrityException("unknown zero-knowledge format version " + (header[4] & 0xff));
        }
        int segmentSize = ByteBuffer.wrap(header, 5, 4).getInt();
        try {
            return streaming(dataKey, segmentSize).newDecryptingStream(ciphertext, header);
        } catch (GeneralSecurityException e) {
            throw new BlobIntegrityException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    /** The plaintext size of a ciphertext of this size made by {@link #encrypt(InputStream, byte[])}. */
    public static long plaintextSize(long ciphertextSize) {
        return plaintextSize(ciphertextSize, EncryptingBlobStore.DEFAULT_SEGMENT_SIZE);
    }

    static long plaintextSize(long ciphertextSize, int segmentSize) {
        long tink = ciphertextSize - HEADER_LENGTH;
        long segments = (tink + segmentSize - 1) / segmentSize;
        return tink - TINK_HEADER_LENGTH - segments * TAG_LENGTH;
    }

    /** The data key wrapped under the key derived from one recipient's link secret. */
    public static byte[] wrap(byte[] dataKey, byte[] linkSecret, SecureRandom random) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher cipher = wrapCipher(Cipher.ENCRYPT_MODE, linkSecret, nonce);
            byte[] sealed = cipher.doFinal(dataKey);
            byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot wrap the data key: " + e.getMessage(), e);
        }
    }

    /**
     * The data key from its wrapped form and the link secret.
     *
     * @throws BlobIntegrityException for a wrong secret or a changed wrapped key
     */
    public static byte[] unwrap(byte[] wrapped, byte[] linkSecret) {
        if (wrapped.length != WRAPPED_KEY_LENGTH) {
            throw new BlobIntegrityException("wrapped key has " + wrapped.length + " bytes");
        }
        try {
            Cipher cipher = wrapCipher(Cipher.DECRYPT_MODE, linkSecret, Arrays.copyOf(wrapped, 12));
            return cipher.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (GeneralSecurityException e) {
            throw new BlobIntegrityException("cannot unwrap the data key: wrong link secret or changed key", e);
        }
    }

    private static Cipher wrapCipher(int mode, byte[] linkSecret, byte[] nonce) throws GeneralSecurityException {
        if (linkSecret.length != KEY_LENGTH) {
            throw new GeneralSecurityException("a link secret has 32 bytes");
        }
        byte[] wrapKey = Hkdf.computeHkdf(HKDF, linkSecret, new byte[0], WRAP_INFO, KEY_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(WRAP_AAD);
            return cipher;
        } finally {
            Arrays.fill(wrapKey, (byte) 0);
        }
    }

    static byte[] header(int segmentSize) {
        return ByteBuffer.allocate(HEADER_LENGTH)
                .put(MAGIC)
                .put((byte) VERSION)
                .putInt(segmentSize)
                .array();
    }

    private static AesGcmHkdfStreaming streaming(byte[] dataKey, int segmentSize) throws GeneralSecurityException {
        if (dataKey.length != KEY_LENGTH) {
            throw new GeneralSecurityException("a data key has 32 bytes");
        }
        if (segmentSize < EnvelopeHeader.MIN_SEGMENT_SIZE || segmentSize > EnvelopeHeader.MAX_SEGMENT_SIZE) {
            throw new GeneralSecurityException("segment size out of range: " + segmentSize);
        }
        return new AesGcmHkdfStreaming(dataKey, HKDF, KEY_LENGTH, segmentSize, 0);
    }
}
