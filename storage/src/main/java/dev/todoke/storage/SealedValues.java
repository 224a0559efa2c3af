package dev.todoke.storage;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Small secrets (a few KB: the tokens a message's copies carry) encrypted with the key ring's primary KEK
 * for a database column, where a blob would cost a file or an object per value. AES-256-GCM with a random
 * 96-bit nonce, as data keys are wrapped ({@link KeyRing}); the format names the KEK, so a rotation keeps
 * older values readable. The caller's {@code context} (a row's id) is bound as associated data: a value
 * copied to another row does not open there. Immutable and thread-safe.
 *
 * <p>Format: version {@code 1}, the KEK id's length (one byte) and its ASCII, then nonce, ciphertext and
 * tag. Random nonces under one key are good for about 2<sup>32</sup> encryptions; with one value and one
 * data key per message, a KEK reaches that after billions of messages (rotate long before).
 */
public final class SealedValues {

    private static final byte VERSION = 1;

    private final KeyRing keys;
    private final SecureRandom random;

    public SealedValues(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    /** The value encrypted, bound to {@code context}. */
    public byte[] seal(byte[] value, String context) {
        byte[] head = head(keys.primaryId());
        byte[] body = keys.wrap(value, associatedData(head, context), random);
        byte[] sealed = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, sealed, head.length, body.length);
        return sealed;
    }

    /**
     * The value {@link #seal} encrypted with this {@code context}.
     *
     * @throws BlobIntegrityException when the value is malformed, was sealed for another context, was
     *     altered, or names a KEK that is not in the ring
     */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < 2 || sealed[0] != VERSION || sealed.length < 2 + (sealed[1] & 0xff) + 12 + 16) {
            throw new BlobIntegrityException("not a sealed value of a known version");
        }
        int headLength = 2 + (sealed[1] & 0xff);
        String kekId = new String(sealed, 2, headLength - 2, StandardCharsets.US_ASCII);
        byte[] head = Arrays.copyOf(sealed, headLength);
        return keys.unwrap(kekId, Arrays.copyOfRange(sealed, headLength, sealed.length), associatedData(head, context));
    }

    private static byte[] head(String kekId) {
        byte[] id = kekId.getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[2 + id.length];
        head[0] = VERSION;
        head[1] = (byte) id.length;
        System.arraycopy(id, 0, head, 2, id.length);
        return head;
    }

    private static byte[] associatedData(byte[] head, String context) {
        byte[] bytes = context.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, data, head.length, bytes.length);
        return data;
    }
}
