package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DataReaderTest {

    /** Hands out its bytes a few at a time, so that every chunk boundary gets hit. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int step;
        private int position;

        Trickle(String text, int step) {
            this.bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            this.step = step;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, step), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    private static String[] transfer(String wire, int step) throws IOException {
        InputStream raw = new BufferedInputStream(new Trickle(wire, step), 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataReader.transfer(raw, out::write);
        return new String[] {
            out.toString(StandardCharsets.ISO_8859_1), new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1)
        };
    }

    @Test
    void transferWhenDataEndsThenUnstuffedBytesAndTerminatorLeftUnread() throws IOException {
        List<String[]> cases = List.of(
                new String[] {"a\r\nb\r\n.\r\nQUIT\r\n", "a\r\nb\r\n"},
                new String[] {".\r\nQUIT\r\n", ""},
                new String[] {"..\r\n.\r\n", ".\r\n"},
                new String[] {"..x\r\n...y\r\nz.\r\n.\r\n", ".x\r\n..y\r\nz.\r\n"},
                new String[] {"a\n.\nb\r\n.\r\n", "a\n.\nb\r\n"},
                new String[] {"a\r\n.b\r\n.\r\nNOOP\r\n", "a\r\nb\r\n"},
                new String[] {"\r\n\r\n..\r\n.\r\n", "\r\n\r\n.\r\n"},
                new String[] {"x\r.\r\n\r\n.\r\n", "x\r.\r\n\r\n"});
        for (String[] c : cases) {
            String rest = c[0].substring(c[0].lastIndexOf("\r\n.\r\n") + 2);
            if (c[0].startsWith(".\r\n")) {
                rest = c[0];
            }
            for (int step = 1; step <= 9; step++) {
                String[] got = transfer(c[0], step);
                assertThat(got[0]).as("%s step %d", c[0], step).isEqualTo(c[1]);
                assertThat(got[1]).as("%s step %d", c[0], step).isEqualTo(rest);
            }
        }
    }

    @Test
    void transferWhenConnectionEndsInsideDataThenEofException() {
        assertThatThrownBy(() -> transfer("a\r\nb\r\n", 3)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> transfer("a\r\n.", 3)).isInstanceOf(EOFException.class);
    }

    /** Hands out its bytes in reads of random sizes (1 to {@code maxStep}). */
    private static final class RandomTrickle extends ByteArrayInputStream {
        private final Random random;
        private final int maxStep;

        RandomTrickle(byte[] bytes, Random random, int maxStep) {
            super(bytes);
            this.random = random;
            this.maxStep = maxStep;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(maxStep)));
        }

        @Override
        public synchronized int available() {
            return 0;
        }
    }

    private static void checkAgainstReference(byte[] wire, Random random, int maxStep, int bufferSize)
            throws IOException {
        DataReaderFuzzTest.Reference expected = DataReaderFuzzTest.Reference.of(wire); // the old byte-at-a-time rule
        InputStream raw = new BufferedInputStream(new RandomTrickle(wire, random, maxStep), bufferSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Supplier<String> what = () -> Arrays.toString(wire) + " maxStep " + maxStep + " buffer " + bufferSize;
        if (expected == null) {
            assertThatThrownBy(() -> DataReader.transfer(raw, out::write))
                    .as(what)
                    .isInstanceOf(EOFException.class);
            return;
        }
        DataReader.transfer(raw, out::write);
        assertThat(out.toByteArray()).as(what).isEqualTo(expected.data());
        assertThat(raw.readAllBytes()).as(what).isEqualTo(expected.rest());
    }

    @Test
    void transferWhenRandomCrLfDotBytesInRandomChunksThenSameAsByteAtATimeReference() throws IOException {
        byte[] alphabet = {'\r', '\n', '.', 'a'};
        Random random = new Random(5321);
        for (int round = 0; round < 20_000; round++) {
            byte[] wire = new byte[random.nextInt(120)];
            for (int i = 0; i < wire.length; i++) {
                wire[i] = alphabet[random.nextInt(alphabet.length)];
            }
            checkAgainstReference(wire, random, 1 + random.nextInt(40), 1 + random.nextInt(32));
        }
    }

    @Test
    void transferWhenLongLinesAcrossFullChunksThenSameAsByteAtATimeReference() throws IOException {
        Random random = new Random(2821);
        for (int round = 0; round < 60; round++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            // Lines of 'a's and a few dots and CRs, so that line starts, dots and CRLFs fall on every
            // offset of a word and around the 64 KB chunk boundary.
            while (wire.size() < 140_000) {
                int length = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(200);
                for (int i = 0; i < length; i++) {
                    int r = random.nextInt(40);
                    wire.write(r == 0 ? '.' : r == 1 ? '\r' : r == 2 ? '\n' : 'a');
                }
                wire.writeBytes(random.nextInt(8) == 0 ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
                if (random.nextInt(3) == 0) {
                    wire.write('.');
                }
            }
            wire.writeBytes(
                    random.nextBoolean() ? "\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
            byte[] bytes = wire.toByteArray();
            checkAgainstReference(bytes, random, 1 + random.nextInt(70_000), 1 + random.nextInt(70_000));
        }
    }
}
