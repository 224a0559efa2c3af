package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.storage.WriteBehindOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

    @Test
    void writeWhenPastWriteBehindThresholdThenSpoolAndDigestHoldEveryByte() throws Exception {
        byte[] data = base64Lines(SpoolSink.WRITE_BEHIND_AFTER + 3 * 1024 * 1024 + 17);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpoolSink sink = sink(998, out);
        sink.digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(3);

        for (int offset = 0; offset < data.length; ) {
            int length = Math.min(data.length - offset, 1 + random.nextInt(200_000));
            sink.write(data, offset, length);
            offset += length;
        }
        assertThat(sink.out).isInstanceOf(WriteBehindOutputStream.class);
        sink.close();

        assertThat(sink.storeFailure).isNull();
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(sink.digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void writeWhenSpoolFailsPastWriteBehindThresholdThenStoreFailureAndEveryOctetCounted() throws IOException {
        byte[] data = base64Lines(SpoolSink.WRITE_BEHIND_AFTER + 4L * WriteBehindOutputStream.BLOCK * 4);
        IOException diskFull = new IOException("No space left on device");
        SpoolSink sink = new SpoolSink(Long.MAX_VALUE / 4, 998);
        sink.out = new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                written += length;
                if (written > SpoolSink.WRITE_BEHIND_AFTER) {
                    throw diskFull;
                }
            }
        };

        for (int offset = 0; offset < data.length; offset += 65_536) {
            sink.write(data, offset, Math.min(65_536, data.length - offset));
        }
        sink.close();

        assertThat(sink.storeFailure).isSameAs(diskFull);
        assertThat(sink.total).isEqualTo(data.length);
    }

    /** Lines of 76 base64 characters and CRLF, as an attachment is sent, {@code size} octets in all. */
    private static byte[] base64Lines(long size) {
        byte[] data = new byte[Math.toIntExact(size)];
        Random random = new Random(size);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < data.length; i++) {
            int column = i % 78;
            data[i] = column == 76
                    ? (byte) '\r'
                    : column == 77 ? (byte) '\n' : (byte) alphabet.charAt(random.nextInt(64));
        }
        return data;
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
