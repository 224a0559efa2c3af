package dev.todoke.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineFeedsTest {

    /** LF, CR and their neighbours (one bit off, or the high bit set) that a sloppy zero-byte test confuses. */
    private static final byte[] TRICKY = {
        0x0A, 0x0D, (byte) 0x8A, (byte) 0x8D, 0x0B, 0x09, (byte) 0xFF, 0x00, 0x0C, 0x0E, 0x2E, (byte) 0xAE, 0x2F, 0x2D
    };

    private static int naiveIndexOf(byte[] b, int from, int to) {
        return naiveIndexOf(b, from, to, (byte) '\n');
    }

    private static int naiveIndexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int naiveLastIndexOf(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int naiveCount(byte[] b, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\r') {
                count++;
            }
        }
        return count;
    }

    @Test
    void indexOfAndLastIndexOfWhenOneLineFeedAtEveryPositionAndAlignmentThenFoundThere() {
        for (int offset = 0; offset < 8; offset++) {
            for (int length = 0; length <= 40; length++) {
                for (byte filler : new byte[] {'a', 0x0B, 0x09, (byte) 0x8A, (byte) 0xFF, 0x00, 0x0D}) {
                    byte[] b = new byte[offset + length + 8];
                    Arrays.fill(b, (byte) '\n'); // LFs outside [offset, offset + length) must not be seen
                    Arrays.fill(b, offset, offset + length, filler);
                    assertThat(LineFeeds.indexOf(b, offset, offset + length))
                            .as("none, offset %d length %d filler %d", offset, length, filler)
                            .isEqualTo(-1);
                    assertThat(LineFeeds.lastIndexOf(b, offset, offset + length))
                            .as("none, offset %d length %d filler %d", offset, length, filler)
                            .isEqualTo(-1);
                    for (int at = 0; at < length; at++) {
                        b[offset + at] = '\n';
                        assertThat(LineFeeds.indexOf(b, offset, offset + length))
                                .as("offset %d length %d at %d filler %d", offset, length, at, filler)
                                .isEqualTo(offset + at);
                        assertThat(LineFeeds.lastIndexOf(b, offset, offset + length))
                                .as("last, offset %d length %d at %d filler %d", offset, length, at, filler)
                                .isEqualTo(offset + at);
                        b[offset + at] = filler;
                    }
                }
            }
        }
    }

    @Test
    void indexOfWhenSeveralLineFeedsThenFirstAndLastIndexOfThenLast() {
        byte[] b = "abc\ndefghijk\nl\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(LineFeeds.indexOf(b, 0, b.length)).isEqualTo(3);
        assertThat(LineFeeds.indexOf(b, 4, b.length)).isEqualTo(12);
        assertThat(LineFeeds.indexOf(b, 13, b.length)).isEqualTo(14);
        assertThat(LineFeeds.indexOf(b, 15, b.length)).isEqualTo(-1);
        assertThat(LineFeeds.lastIndexOf(b, 0, b.length)).isEqualTo(14);
        assertThat(LineFeeds.lastIndexOf(b, 0, 14)).isEqualTo(12);
        assertThat(LineFeeds.lastIndexOf(b, 0, 12)).isEqualTo(3);
        assertThat(LineFeeds.lastIndexOf(b, 4, 12)).isEqualTo(-1);
    }

    @Test
    void indexOfAndLastIndexOfWhenNeighbourBytesOfLineFeedThenNoFalsePositive() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(41)];
            for (int i = 0; i < b.length; i++) {
                b[i] = TRICKY[random.nextInt(TRICKY.length)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(Math.min(8, b.length) + 1);
            assertThat(LineFeeds.indexOf(b, from, b.length))
                    .as("%s from %d", Arrays.toString(b), from)
                    .isEqualTo(naiveIndexOf(b, from, b.length));
            assertThat(LineFeeds.lastIndexOf(b, from, b.length))
                    .as("last %s from %d", Arrays.toString(b), from)
                    .isEqualTo(naiveLastIndexOf(b, from, b.length));
        }
    }

    @Test
    void indexOfAndLastIndexOfWhenEveryByteValueBesideLineFeedThenExact() {
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 16; at++) {
                byte[] b = new byte[16];
                Arrays.fill(b, (byte) value);
                b[at] = '\n';
                assertThat(LineFeeds.indexOf(b, 0, 16))
                        .as("value %d at %d", value, at)
                        .isEqualTo(value == '\n' ? 0 : at);
            }
        }
    }

    @Test
    void scansWhenRandomBytesThenSameAsNaiveLoops() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(100)];
            boolean tricky = random.nextBoolean();
            for (int i = 0; i < b.length; i++) {
                b[i] = tricky ? TRICKY[random.nextInt(TRICKY.length)] : (byte) random.nextInt(256);
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(LineFeeds.countCarriageReturns(b, from, to))
                    .as("%s [%d, %d)", Arrays.toString(b), from, to)
                    .isEqualTo(naiveCount(b, from, to));
            assertThat(LineFeeds.indexOf(b, from, to))
                    .as("%s [%d, %d)", Arrays.toString(b), from, to)
                    .isEqualTo(naiveIndexOf(b, from, to));
            assertThat(LineFeeds.lastIndexOf(b, from, to))
                    .as("last %s [%d, %d)", Arrays.toString(b), from, to)
                    .isEqualTo(naiveLastIndexOf(b, from, to));
            for (byte value : new byte[] {'.', '-', (byte) 0xAE, 0, (byte) 0xFF}) {
                assertThat(LineFeeds.indexOf(b, from, to, value))
                        .as("%d in %s [%d, %d)", value, Arrays.toString(b), from, to)
                        .isEqualTo(naiveIndexOf(b, from, to, value));
            }
        }
    }

    @Test
    void countCarriageReturnsWhenAllCarriageReturnsThenLength() {
        for (int offset = 0; offset < 8; offset++) {
            for (int length = 0; length <= 40; length++) {
                byte[] b = new byte[offset + length + 8];
                Arrays.fill(b, offset, offset + length, (byte) '\r');
                assertThat(LineFeeds.countCarriageReturns(b, offset, offset + length))
                        .isEqualTo(length);
                Arrays.fill(b, (byte) '\r');
                assertThat(LineFeeds.countCarriageReturns(b, offset, offset + length))
                        .isEqualTo(length);
            }
        }
    }

    @Test
    void scansWhenRangeOutsideArrayThenIndexOutOfBounds() {
        assertThatThrownBy(() -> LineFeeds.indexOf(new byte[4], 2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> LineFeeds.lastIndexOf(new byte[4], -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> LineFeeds.countCarriageReturns(new byte[4], 3, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
