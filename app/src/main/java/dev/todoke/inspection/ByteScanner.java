package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntPredicate;

/**
 * Finds a byte sequence in a stream, reading it in blocks (memory: one block plus the pattern).
 * Stateless; thread-safe.
 */
final class ByteScanner {

    private ByteScanner() {}

    /**
     * Whether {@code pattern} occurs in the rest of the stream (read to its end or its bound), followed
     * by a byte that {@code accepts} (or by the end).
     */
    static boolean contains(InputStream in, byte[] pattern, IntPredicate followedBy) throws IOException {
        byte[] buffer = new byte[8192 + pattern.length];
        int kept = 0;
        int n;
        while ((n = in.read(buffer, kept, buffer.length - kept)) >= 0) {
            int end = kept + n;
            for (int i = 0; i + pattern.length < end; i++) {
                if (matchesAt(buffer, i, pattern) && followedBy.test(buffer[i + pattern.length] & 0xFF)) {
                    return true;
                }
            }
            kept = Math.min(pattern.length, end);
            System.arraycopy(buffer, end - kept, buffer, 0, kept);
        }
        return kept == pattern.length && matchesAt(buffer, 0, pattern);
    }

    private static boolean matchesAt(byte[] buffer, int at, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (buffer[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }
}
