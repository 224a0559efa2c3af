package dev.todoke.storage;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Blob keys: 128 random bits as base64url (22 characters), never derived from content or names. A key
 * that does not have this form cannot name a blob, which also keeps keys such as {@code ../x} out of
 * every path and object name.
 */
final class BlobKeys {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

    private BlobKeys() {}

    static String generate(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isValid(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    static void checkRange(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
        }
    }
}
