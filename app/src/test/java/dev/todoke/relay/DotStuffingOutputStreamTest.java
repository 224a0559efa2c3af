package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    private static String wire(String message, boolean byteByByte) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffingOutputStream stuffing = new DotStuffingOutputStream(out);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                stuffing.write(b);
            }
        } else {
            stuffing.write(bytes, 0, bytes.length);
        }
        stuffing.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void finishWhenLinesStartWithDotsThenDotsDoubledAndDataTerminated() throws Exception {
        for (boolean single : new boolean[] {true, false}) {
            assertThat(wire(".a\r\nb\r\n..c\r\n.\r\n", single)).isEqualTo("..a\r\nb\r\n...c\r\n..\r\n.\r\n");
        }
    }

    @Test
    void finishWhenBareLineEndsThenTheyBecomeCrlf() throws Exception {
        for (boolean single : new boolean[] {true, false}) {
            assertThat(wire("a\n.b\rc\r\n", single)).isEqualTo("a\r\n..b\r\nc\r\n.\r\n");
        }
    }

    @Test
    void finishWhenLastLineUnterminatedThenCrlfAdded() throws Exception {
        assertThat(wire("a\r\nlast", false)).isEqualTo("a\r\nlast\r\n.\r\n");
        assertThat(wire("", false)).isEqualTo(".\r\n");
    }
}
