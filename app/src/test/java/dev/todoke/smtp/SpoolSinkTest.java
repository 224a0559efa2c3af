package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpoolSinkTest {

    /** The old byte-at-a-time line rule over the same writes: what reaches the spool, and when it stops. */
    private static final class Reference {
        final int maxLine;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lineLength;
        boolean tooLong;

        Reference(int maxLine) {
            this.maxLine = maxLine;
        }

        void write(byte[] bytes, int offset, int length) {
            if (tooLong) {
                return;
            }
            for (int i = offset; i < offset + length; i++) {
                byte b = bytes[i];
                if (b == '\n') {
                    lineLength = 0;
                } else if (b != '\r' && ++lineLength > maxLine) {
                    tooLong = true;
                    return;
                }
            }
            out.write(bytes, offset, length);
        }
    }

    private static SpoolSink sink(int maxLine, ByteArrayOutputStream out) {
        SpoolSink sink = new SpoolSink(Long.MAX_VALUE / 4, maxLine);
        sink.out = out;
        return sink;
    }

    @Test
    void writeWhenRandomCrLfBytesInRandomWritesThenSameLineRuleAsByteAtATime() throws IOException {
        byte[] alphabet = {'\r', '\n', '.', 'a'};
        Random random = new Random(998);
        for (int round = 0; round < 30_000; round++) {
            byte[] data = new byte[random.nextInt(150)];
            int bias = random.nextInt(6); // how often 'a' beats the line ends, so that lines get long
            for (int i = 0; i < data.length; i++) {
                int r = random.nextInt(alphabet.length + bias);
                data[i] = alphabet[Math.min(r, alphabet.length - 1)];
            }
            int maxLine = 1 + random.nextInt(random.nextBoolean() ? 20 : 200);
            check(data, maxLine, random, 1 + random.nextInt(40));
        }
    }

    @Test
    void writeWhenBase64LinesThenLimitExactAtLength() throws IOException {
        Random random = new Random(76);
        for (int lineLength = 0; lineLength <= 40; lineLength++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int line = 0; line < 20; line++) {
                for (int i = 0; i < lineLength; i++) {
                    wire.write('A' + random.nextInt(26));
                }
                wire.writeBytes(
                        line % 3 == 0
                                ? "\r\r\n".getBytes(StandardCharsets.US_ASCII)
                                : "\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            byte[] data = wire.toByteArray();
            for (int maxLine = Math.max(1, lineLength - 2); maxLine <= lineLength + 2; maxLine++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                SpoolSink sink = sink(maxLine, out);
                for (int offset = 0; offset < data.length; offset += 7) {
                    sink.write(data, offset, Math.min(7, data.length - offset));
                }
                assertThat(sink.tooLong)
                        .as("line %d max %d", lineLength, maxLine)
                        .isEqualTo(lineLength > maxLine);
                check(data, maxLine, random, 1 + random.nextInt(100));
            }
        }
    }

    @Test
    void writeWhenLineSpansManyWritesAndBareCarriageReturnsThenCarriageReturnsNotCounted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpoolSink sink = sink(10, out);
        byte[] part = "ab\r\rcd\r".getBytes(StandardCharsets.US_ASCII); // 4 counted octets
        sink.write(part, 0, part.length);
        sink.write(part, 0, part.length);
        assertThat(sink.tooLong).isFalse();
        assertThat(sink.lineLength).isEqualTo(8);
        sink.write("\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\raa".getBytes(StandardCharsets.US_ASCII), 0, 20);
        assertThat(sink.tooLong).isFalse();
        sink.write("\n".getBytes(StandardCharsets.US_ASCII), 0, 1);
        assertThat(sink.lineLength).isZero();
        sink.write("0123456789\r\n0123456789a".getBytes(StandardCharsets.US_ASCII), 0, 23);
        assertThat(sink.tooLong).isTrue();
        assertThat(out.size()).isEqualTo(35); // the write that went over is not spooled
    }

    private static void check(byte[] data, int maxLine, Random random, int maxWrite) throws IOException {
        Reference expected = new Reference(maxLine);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpoolSink sink = sink(maxLine, out);
        int offset = 0;
        while (offset < data.length) {
            int length = Math.min(data.length - offset, random.nextInt(maxWrite + 1));
            expected.write(data, offset, length);
            sink.write(data, offset, length);
            offset += length;
            assertThat(sink.tooLong)
                    .as(() -> Arrays.toString(data) + " max " + maxLine)
                    .isEqualTo(expected.tooLong);
            if (!expected.tooLong) {
                assertThat(sink.lineLength)
                        .as(() -> Arrays.toString(data) + " max " + maxLine)
                        .isEqualTo(expected.lineLength);
            }
        }
        assertThat(out.toByteArray())
                .as(() -> Arrays.toString(data) + " max " + maxLine)
                .isEqualTo(expected.out.toByteArray());
        assertThat(sink.total).isEqualTo(data.length);
    }
}
