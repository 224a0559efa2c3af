package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64DecodingInputStreamTest {

    /** Hands out at most a random number of bytes per read, so that chunks are cut everywhere. */
    private static final class Ragged extends InputStream {
        private final ByteArrayInputStream bytes;
        private final Random random;
        private final int max;

        Ragged(byte[] bytes, Random random, int max) {
            this.bytes = new ByteArrayInputStream(bytes);
            this.random = random;
            this.max = max;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, Math.min(len, 1 + random.nextInt(max)));
        }
    }

    @Test
    void readWhenLinesOfAnyLengthWithCrlfOrLfThenTheOriginalBytes() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 60; round++) {
            byte[] data = new byte[random.nextInt(400_000)];
            random.nextBytes(data);
            String text = Base64.getEncoder().encodeToString(data);
            boolean oddLines = round % 3 == 0;
            String breaks = round % 4 == 0 ? "\n" : round % 4 == 1 ? "\r\n" : null;
            StringBuilder lines = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int n = Math.min(text.length() - i, oddLines ? 1 + random.nextInt(120) : 76);
                lines.append(text, i, i + n).append(breaks != null ? breaks : random.nextBoolean() ? "\n" : "\r\n");
                i += n;
            }
            if (random.nextBoolean() && lines.length() > 0) {
                lines.setLength(lines.length() - (lines.charAt(lines.length() - 2) == '\r' ? 2 : 1)); // no final break
            }
            byte[] encoded = lines.toString().getBytes(StandardCharsets.US_ASCII);

            assertThat(decode(encoded, random, round % 2 == 0 ? 100_000 : 300))
                    .as("round %d: %d bytes", round, data.length)
                    .isEqualTo(data);
        }
    }

    @Test
    void readWhenCharactersOutsideTheAlphabetThenSkippedAsTheMimeDecoderDoes() throws Exception {
        Random random = new Random(8);
        for (int round = 0; round < 30; round++) {
            byte[] data = new byte[random.nextInt(200_000)];
            random.nextBytes(data);
            String text = Base64.getEncoder().withoutPadding().encodeToString(data);
            StringBuilder lines = new StringBuilder();
            String junk = " \t\r!*";
            for (int i = 0; i < text.length(); i += 76) {
                lines.append(text, i, Math.min(text.length(), i + 76));
                if (random.nextInt(50) == 0) {
                    lines.append(junk.charAt(random.nextInt(junk.length())));
                }
                lines.append("\r\n");
            }
            byte[] encoded = lines.toString().getBytes(StandardCharsets.US_ASCII);

            assertThat(decode(encoded, random, 70_000))
                    .as("round %d", round)
                    .isEqualTo(Base64.getMimeDecoder().decode(encoded))
                    .isEqualTo(data);
        }
    }

    @Test
    void readWhenPaddingEndsAPartThenDecodingGoesOnAfterIt() throws Exception {
        Random random = new Random(9);
        byte[] first = new byte[100_001];
        byte[] second = new byte[200_002];
        random.nextBytes(first);
        random.nextBytes(second);
        byte[] encoded = (Base64.getMimeEncoder().encodeToString(first) + "\r\n"
                        + Base64.getMimeEncoder().encodeToString(second) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(first);
        both.write(second);

        assertThat(decode(encoded, random, 100_000)).isEqualTo(both.toByteArray());
    }

    @Test
    void readWhenAChunkEndsWithABareCrInItsCarriedCharactersThenNothingIsDecodedTwice() throws Exception {
        byte[] data = new byte[30_000];
        new Random(10).nextBytes(data);
        String text = Base64.getEncoder().encodeToString(data);
        StringBuilder lines = new StringBuilder();
        int i = 0;
        for (int line = 0; i < text.length(); line++) {
            int n = Math.min(text.length() - i, line == 99 ? 74 : 76);
            lines.append(text, i, i + n).append(line == 99 ? "\r\r\n" : "\r\n");
            i += n;
        }
        byte[] encoded = lines.toString().getBytes(StandardCharsets.US_ASCII);
        int firstChunk = 99 * 78 + 77; // ends after line 100: 74 characters, a bare CR, CRLF
        InputStream source = new ByteArrayInputStream(encoded) {
            private boolean first = true;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, first ? Math.min(len, firstChunk) : len);
                first = false;
                return n;
            }
        };

        try (InputStream in = new Base64DecodingInputStream(source)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    private static byte[] decode(byte[] encoded, Random random, int maxRead) throws IOException {
        try (InputStream in = new Base64DecodingInputStream(new Ragged(encoded, random, maxRead))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 + random.nextInt(100_000)];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
