package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
