package dev.todoke.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Finds LF (and counts CR) in byte arrays eight bytes at a time (SWAR, "SIMD within a register"), for the
 * per-byte scans of mail data: SMTP DATA, the spool's line limit and the MIME parser's lines, and other
 * bytes that matter only at a line start.
 *
 * <p>The trick: with {@code x = word ^ 0x0A0A..0A} (or another byte repeated) the bytes equal to LF
 * become zero, and {@code ~(((x & 0x7F..7F) + 0x7F..7F) | x | 0x7F..7F)} sets the high bit of exactly
 * the zero bytes (the masked add cannot carry between bytes, so there are no false positives and the
 * mask can be counted).
 * Words are read little-endian, so {@code numberOfTrailingZeros(mask) >>> 3} is the first match (and,
 * because the mask is exact, {@code numberOfLeadingZeros(mask) >>> 3} counts back from the last one).
 */
public final class LineFeeds {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long EVERY_BYTE = 0x0101010101010101L;

    private LineFeeds() {}

    /** The index of the first LF in {@code b[from, to)}, or -1 when there is none. */
    public static int indexOf(byte[] b, int from, int to) {
        return indexOf(b, from, to, (byte) '\n');
    }

    /**
     * The index of the first {@code value} in {@code b[from, to)}, or -1 when there is none: for the bytes
     * that matter only at a line start ({@code .} in SMTP DATA, {@code -} in MIME), where looking for them
     * directly does not stop at every line.
     */
    public static int indexOf(byte[] b, int from, int to, byte value) {
        Objects.checkFromToIndex(from, to, b.length);
        long pattern = (value & 0xFFL) * EVERY_BYTE;
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long mask = matches((long) LONGS.get(b, i), pattern);
            if (mask != 0) {
                return i + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last LF in {@code b[from, to)}, or -1 when there is none. */
    public static int lastIndexOf(byte[] b, int from, int to) {
        Objects.checkFromToIndex(from, to, b.length);
        int i = to;
        for (; i - from >= Long.BYTES; i -= Long.BYTES) {
            long mask = matches((long) LONGS.get(b, i - Long.BYTES), LFS);
            if (mask != 0) {
                return i - 1 - (Long.numberOfLeadingZeros(mask) >>> 3);
            }
        }
        for (; i > from; i--) {
            if (b[i - 1] == '\n') {
                return i - 1;
            }
        }
        return -1;
    }

    /** How many CRs {@code b[from, to)} holds. */
    public static int countCarriageReturns(byte[] b, int from, int to) {
        Objects.checkFromToIndex(from, to, b.length);
        int count = 0;
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            count += Long.bitCount(matches((long) LONGS.get(b, i), CRS));
        }
        for (; i < to; i++) {
            if (b[i] == '\r') {
                count++;
            }
        }
        return count;
    }

    /** The high bit of each byte of {@code word} that equals the byte repeated in {@code pattern}. */
    private static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
    }
}
