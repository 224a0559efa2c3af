package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ZeroKnowledgeFormatTest {

    private static final int SEGMENT = 4096;
    private final SecureRandom random = new SecureRandom();

    @Test
    void decryptWhenSameKeyThenPlaintextComesBack() throws IOException {
        byte[] key = ZeroKnowledgeFormat.newKey(random);
        byte[] plaintext = bytes(3 * SEGMENT + 123);

        byte[] ciphertext = ZeroKnowledgeFormat.encrypt(new ByteArrayInputStream(plaintext), key, SEGMENT)
                .readAllBytes();

        assertThat(ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(ciphertext), key)
                        .readAllBytes())
                .isEqualTo(plaintext);
    }

    /** The layout in the class comment (and docs/zero-knowledge.md), decrypted with the JDK alone as the browser does. */
    @Test
    void documentedLayoutWhenDecryptedSegmentBySegmentThenPlaintextComesBack() throws Exception {
        for (int size : new int[] {0, 1, SEGMENT - 56, SEGMENT - 55, 5 * SEGMENT}) {
            byte[] key = ZeroKnowledgeFormat.newKey(random);
            byte[] plaintext = bytes(size);
            byte[] ciphertext = ZeroKnowledgeFormat.encrypt(new ByteArrayInputStream(plaintext), key, SEGMENT)
                    .readAllBytes();

            assertThat(decryptAsDocumented(ciphertext, key)).as("size %d", size).isEqualTo(plaintext);
            assertThat(ZeroKnowledgeFormat.plaintextSize(ciphertext.length, SEGMENT))
                    .isEqualTo(size);
        }
    }

    @Test
    void decryptWhenWrongKeyThenFails() {
        byte[] ciphertext = encrypt(bytes(10_000), ZeroKnowledgeFormat.newKey(random));

        assertThatThrownBy(() -> ZeroKnowledgeFormat.decrypt(
                                new ByteArrayInputStream(ciphertext), ZeroKnowledgeFormat.newKey(random))
                        .readAllBytes())
                .isInstanceOf(IOException.class);
    }

    @Test
    void decryptWhenTamperedOrTruncatedThenFails() {
        byte[] key = ZeroKnowledgeFormat.newKey(random);
        byte[] ciphertext = encrypt(bytes(3 * SEGMENT), key);
        byte[] tampered = ciphertext.clone();
        tampered[SEGMENT + 10] ^= 1;
        byte[] header = ciphertext.clone();
        header[8] ^= 1;
        byte[] truncated = Arrays.copyOf(ciphertext, ciphertext.length - 20);

        for (byte[] bad : new byte[][] {tampered, header, truncated}) {
            assertThatThrownBy(() -> ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(bad), key)
                            .readAllBytes())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void unwrapWhenSameSecretThenDataKeyElseFails() {
        byte[] dataKey = ZeroKnowledgeFormat.newKey(random);
        byte[] secret = ZeroKnowledgeFormat.newKey(random);

        byte[] wrapped = ZeroKnowledgeFormat.wrap(dataKey, secret, random);

        assertThat(wrapped).hasSize(ZeroKnowledgeFormat.WRAPPED_KEY_LENGTH);
        assertThat(ZeroKnowledgeFormat.unwrap(wrapped, secret)).isEqualTo(dataKey);
        assertThatThrownBy(() -> ZeroKnowledgeFormat.unwrap(wrapped, ZeroKnowledgeFormat.newKey(random)))
                .isInstanceOf(BlobIntegrityException.class);
        byte[] changed = wrapped.clone();
        changed[20] ^= 1;
        assertThatThrownBy(() -> ZeroKnowledgeFormat.unwrap(changed, secret))
                .isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    void wrapWhenTwoSecretsThenTwoDifferentWrappedKeysForOneDataKey() {
        byte[] dataKey = ZeroKnowledgeFormat.newKey(random);
        byte[] a = ZeroKnowledgeFormat.wrap(dataKey, ZeroKnowledgeFormat.newKey(random), random);
        byte[] b = ZeroKnowledgeFormat.wrap(dataKey, ZeroKnowledgeFormat.newKey(random), random);

        assertThat(a).isNotEqualTo(b);
        assertThat(Arrays.copyOfRange(a, 12, 44)).isNotEqualTo(dataKey);
    }

    private byte[] encrypt(byte[] plaintext, byte[] key) {
        try {
            return ZeroKnowledgeFormat.encrypt(new ByteArrayInputStream(plaintext), key, SEGMENT)
                    .readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] decryptAsDocumented(byte[] c, byte[] dataKey) throws Exception {
        assertThat(new String(c, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("TDKZ");
        assertThat(c[4]).isEqualTo((byte) 1);
        int s = ByteBuffer.wrap(c, 5, 4).getInt();
        byte[] h = Arrays.copyOf(c, 9);
        assertThat(c[9]).isEqualTo((byte) 40);
        byte[] salt = Arrays.copyOfRange(c, 10, 42);
        byte[] prefix = Arrays.copyOfRange(c, 42, 49);
        byte[] segmentKey = hkdf(dataKey, salt, h);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 49;
        int length = s - 40;
        for (int i = 0; pos < c.length; i++) {
            int n = Math.min(length, c.length - pos);
            boolean last = pos + n == c.length;
            byte[] nonce = ByteBuffer.allocate(12)
                    .put(prefix)
                    .putInt(i)
                    .put((byte) (last ? 1 : 0))
                    .array();
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(segmentKey, "AES"), new GCMParameterSpec(128, nonce));
            out.write(gcm.doFinal(c, pos, n));
            pos += n;
            length = s;
        }
        return out.toByteArray();
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return mac.doFinal();
    }
}
