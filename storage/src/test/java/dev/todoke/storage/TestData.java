package dev.todoke.storage;

import java.io.InputStream;
import java.util.SplittableRandom;

/** Deterministic test content: the same seed gives the same bytes, generated without buffering. */
final class TestData {

    private TestData() {}

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** {@code size} pseudo-random bytes, produced on the fly (for objects larger than the heap). */
    static InputStream stream(long size, long seed) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long remaining = size;

            @Override
            public int read() {
                if (remaining <= 0) {
                    return -1;
                }
                remaining--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining <= 0) {
                    return len == 0 ? 0 : -1;
                }
                int n = (int) Math.min(len, remaining);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                remaining -= n;
                return n;
            }
        };
    }
}
