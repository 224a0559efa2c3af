package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.todoke.testkit.Components;
import dev.todoke.testkit.FuzzSeeds;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the SMTP DATA reader (docs/fuzzing.md) against a byte-at-a-time reference of RFC 5321 section
 * 4.5.2: for any wire bytes and any way the socket splits them (read sizes and buffer sizes from the
 * fuzzer), {@link DataReader} hands over exactly the unstuffed bytes before the first {@code CRLF.CRLF}
 * and leaves {@code .CRLF} and everything after it unread, or throws {@link EOFException} when the
 * connection ends first. Nothing else may leave it.
 */
class DataReaderFuzzTest {

    @BeforeAll
    static void plantSeeds() {
        FuzzSeeds.plant(DataReaderFuzzTest.class, "transfer", seeds(), false);
    }

    @FuzzTest(maxDuration = "20s")
    void transfer(FuzzedDataProvider data) throws IOException {
        int step = data.consumeInt(1, 70_000);
        int bufferSize = data.consumeInt(1, 70_000);
        check(data.consumeRemainingAsBytes(), step, bufferSize);
    }

    @Test
    void transferWhenGeneratedSeedsThenSameAsReference() throws IOException {
        for (byte[] seed : seeds()) {
            for (int step : new int[] {1, 2, 3, 7, 64 * 1024}) {
                check(seed, step, 16);
                check(seed, step, 8192);
            }
        }
    }

    /** Every real sample in ../shared/mime-samples dot-stuffed as a client sends it (skipped where absent). */
    @Test
    void transferWhenSharedSamplesThenSameAsReference() throws IOException {
        Components.requireShared();
        List<Path> samples = FuzzSeeds.sharedMimeSamples();
        assertThat(samples).isNotEmpty();
        for (Path sample : samples) {
            byte[] wire = stuffed(Files.readAllBytes(sample));
            check(wire, 4093, 8192);
            check(wire, 3, 16);
        }
    }

    static void check(byte[] wire, int step, int bufferSize) throws IOException {
        Reference expected = Reference.of(wire);
        InputStream raw = new BufferedInputStream(new Trickle(wire, step), bufferSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (expected == null) {
            assertThatThrownBy(() -> DataReader.transfer(raw, out::write)).isInstanceOf(EOFException.class);
            return;
        }
        DataReader.transfer(raw, out::write);
        assertThat(out.toByteArray()).isEqualTo(expected.data);
        assertThat(raw.readAllBytes()).isEqualTo(expected.rest);
    }

    /** What the reader must give: the unstuffed data and the unread rest, or null for "connection closed". */
    record Reference(byte[] data, byte[] rest) {

        static Reference of(byte[] wire) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            boolean lineStart = true;
            boolean afterCr = false;
            for (int i = 0; i < wire.length; i++) {
                byte b = wire[i];
                if (lineStart && b == '.') {
                    if (i + 2 >= wire.length) {
                        return null;
                    }
                    if (wire[i + 1] == '\r' && wire[i + 2] == '\n') {
                        return new Reference(data.toByteArray(), Arrays.copyOfRange(wire, i, wire.length));
                    }
                    lineStart = false;
                    afterCr = false;
                    continue; // the stuffed dot
                }
                data.write(b);
                lineStart = afterCr && b == '\n';
                afterCr = b == '\r';
            }
            return null;
        }
    }

    /** Hands out at most {@code step} bytes per read, so that every split of the data gets hit. */
    private static final class Trickle extends ByteArrayInputStream {
        private final int step;

        Trickle(byte[] bytes, int step) {
            super(bytes);
            this.step = step;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, step));
        }

        @Override
        public synchronized int available() {
            return 0;
        }
    }

    static byte[] stuffed(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replaceAll("\r?\n", "\r\n");
        if (!text.endsWith("\r\n")) {
            text += "\r\n";
        }
        text = text.replace("\r\n.", "\r\n..");
        if (text.startsWith(".")) {
            text = "." + text;
        }
        return (text + ".\r\nQUIT\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<byte[]> seeds() {
        List<byte[]> result = new ArrayList<>();
        for (String wire : List.of(
                "Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n",
                "..leading dot\r\n...two\r\n.\r\n",
                ".\r\n",
                "a\nb\n.\nc\r\n.\r\n",
                "line\r\n.x\r\n.\r",
                "no terminator\r\n")) {
            result.add(wire.getBytes(StandardCharsets.ISO_8859_1));
        }
        return result;
    }
}
