package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void strictWhenPlainBase64ThenTheSameBytesAsTheLenientDecoderWhateverTheReadSizes() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 60; round++) {
            byte[] data = new byte[random.nextInt(300_000)];
            random.nextBytes(data);
            String text = round % 5 == 0
                    ? Base64.getEncoder().withoutPadding().encodeToString(data)
                    : Base64.getEncoder().encodeToString(data);
            int lineLength = round % 3 == 0 ? 1 + random.nextInt(200) : 76;
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < text.length(); i += lineLength) {
                lines.append(text, i, Math.min(text.length(), i + lineLength));
                lines.append(round % 2 == 0 ? "\r\n" : random.nextBoolean() ? "\n" : "\r\n");
                if (random.nextInt(500) == 0) {
                    lines.append("\r\n"); // an empty line is still plain
                }
            }
            byte[] encoded = lines.toString().getBytes(StandardCharsets.US_ASCII);

            byte[] strict;
            try (InputStream in =
                    Base64DecodingInputStream.strict(new Ragged(encoded, random, 1 + random.nextInt(90_000)))) {
                strict = in.readAllBytes();
            }
            assertThat(strict).as("round %d", round).isEqualTo(data);
            assertThat(decode(encoded, random, 1 + random.nextInt(90_000))).isEqualTo(strict);
        }
    }

    @Test
    void strictWhenNotPlainThenFailsWhereTheLenientDecoderGoesOn() throws Exception {
        Random random = new Random(12);
        byte[] data = new byte[200_000];
        random.nextBytes(data);
        String text = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data) + "\r\n";
        String[] notPlain = {
            text.substring(0, 100_000) + " " + text.substring(100_000), // a space
            text.substring(0, 100_000) + "*" + text.substring(100_000), // a character outside the alphabet
            text.substring(0, 77) + "\r" + text.substring(77), // a bare CR inside a line
            Base64.getEncoder().encodeToString(new byte[] {1}) + "\r\n" + text, // padding, then more data
            text + "QQ==\r\nQUFB\r\n", // data after the end's padding
            text + "Q\r\n", // a lone character at the end
        };
        for (String body : notPlain) {
            byte[] encoded = body.getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> {
                        try (InputStream in = Base64DecodingInputStream.strict(new ByteArrayInputStream(encoded))) {
                            in.readAllBytes();
                        }
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessage(Base64DecodingInputStream.NOT_PLAIN);
            try (InputStream in = new Base64DecodingInputStream(new ByteArrayInputStream(encoded))) {
                assertThat(in.readAllBytes().length).isGreaterThanOrEqualTo(data.length - 3);
            }
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
