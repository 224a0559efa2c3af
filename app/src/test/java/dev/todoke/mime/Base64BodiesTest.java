package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Base64BodiesTest {

    private static final long MIN = 1024 * 1024;

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(MimeLimits.defaults());
    private final Random random = new Random(21);

    /** What the consumer saw of one body. */
    private record Seen(long start, long end, byte[] decoded, IOException failure) {}

    @Test
    void scanWhenLargeBase64AttachmentsThenEachIsTheParsersAttachmentWithTheSameBytes() throws Exception {
        byte[] big = bytes(2_000_000);
        byte[] small = bytes(10_000);
        byte[] lf = bytes(1_500_000);
        byte[] message = join(
                "From: a@example.jp\r\nTo: b@partner.example\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                        + "preamble\r\n--outer\r\nContent-Type: text/plain\r\n\r\nHello\r\n",
                part("outer", "big.bin", big, "\r\n"),
                part("outer", "small.bin", small, "\r\n"),
                part("outer", "lf.bin", lf, "\n"),
                "--outer--\r\nepilogue\r\n");

        List<Seen> seen = scan(wholeSource(message));

        assertThat(seen).hasSize(2);
        assertThat(seen).allSatisfy(s -> assertThat(s.failure()).isNull());
        assertThat(seen.get(0).decoded()).isEqualTo(big);
        assertThat(seen.get(1).decoded()).isEqualTo(lf);
        ParsedMessage parsed = parse(message);
        assertThat(matching(parsed, seen.get(0)).fileName()).isEqualTo("big.bin");
        assertThat(matching(parsed, seen.get(1)).fileName()).isEqualTo("lf.bin");
        assertThat(matching(parsed, seen.get(0)).openDecoded().readAllBytes()).isEqualTo(big);
        assertThat(parsed.attachments().stream().filter(a -> isSeen(a, seen))).hasSize(2);
    }

    @Test
    void scanWhenTheMessageGrowsWhileScannedThenTheSameBodies() throws Exception {
        byte[] big = bytes(3_000_000);
        byte[] message = join(
                "Content-Type: multipart/mixed; boundary=b\r\n\r\n",
                part("b", "one.bin", big, "\r\n"),
                part("b", "two.bin", big, "\r\n"),
                "--b--\r\n");

        List<Seen> whole = scan(wholeSource(message));
        List<Seen> growing = scan(new Growing(message, random));

        assertThat(growing).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(growing.get(i).start()).isEqualTo(whole.get(i).start());
            assertThat(growing.get(i).end()).isEqualTo(whole.get(i).end());
            assertThat(growing.get(i).decoded()).isEqualTo(big);
            assertThat(matching(parse(message), growing.get(i))).isNotNull();
        }
    }

    @Test
    void scanWhenAReadEndsAnywhereAroundTheDashLineThenTheBodyEndsBeforeItsLineBreak() throws Exception {
        byte[] big = bytes(1_200_000);
        for (String lineBreak : new String[] {"\r\n", "\n"}) {
            byte[] message = join(
                    "Content-Type: multipart/mixed; boundary=b\r\n\r\n",
                    part("b", "one.bin", big, lineBreak),
                    "--b--\r\n");
            int dashLine = new String(message, StandardCharsets.US_ASCII).lastIndexOf("--b--");
            long expectedEnd = dashLine - lineBreak.length();
            for (int cut = dashLine - 3; cut <= dashLine + 2; cut++) {
                // every read stops at the cut, so the dash line's start falls at the end, the start or the
                // inside of a buffer, and its line break may be split between two buffers
                int at = cut;
                Base64Bodies.Source source = (position, bytes, offset, length) -> {
                    if (position >= message.length) {
                        return -1;
                    }
                    long stop = position < at ? at : message.length;
                    int n = (int) Math.min(Math.min(length, 1 + random.nextInt(70_000)), stop - position);
                    System.arraycopy(message, (int) position, bytes, offset, n);
                    return n;
                };

                List<Seen> seen = scan(source);

                assertThat(seen)
                        .as("cut at %d of %s", cut - dashLine, lineBreak.length())
                        .hasSize(1);
                assertThat(seen.get(0).end()).as("cut at %d", cut - dashLine).isEqualTo(expectedEnd);
                assertThat(seen.get(0).decoded()).isEqualTo(big);
                assertThat(matching(parse(message), seen.get(0))).isNotNull();
            }
        }
    }

    @Test
    void scanWhenABodyIsNotPlainThenReadingItFailsAndTheScanGoesOn() throws Exception {
        byte[] big = bytes(2_000_000); // 2,000,000 = 3 × 666,666 + 2: a final quantum with padding
        String body = part("b", "bad.bin", big, "\r\n");
        assertNotPlainThenTheNextBodyFound(body.replaceFirst("\r\n([A-Za-z0-9+/]{10})", "\r\n$1 "), big); // a space
        assertNotPlainThenTheNextBodyFound(body + "QUJD\r\n", big); // data after the padding: known only at the end
    }

    private void assertNotPlainThenTheNextBodyFound(String notPlain, byte[] big) throws Exception {
        byte[] message = join(
                "Content-Type: multipart/mixed; boundary=b\r\n\r\n",
                notPlain,
                part("b", "fine.bin", big, "\r\n"),
                "--b--\r\n");

        List<Seen> seen = scan(wholeSource(message));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).failure()).hasMessage(Base64DecodingInputStream.NOT_PLAIN);
        assertThat(seen.get(0).end()).isEqualTo(-1);
        assertThat(seen.get(1).failure()).isNull();
        assertThat(matching(parse(message), seen.get(1)).fileName()).isEqualTo("fine.bin");
    }

    @Test
    void scanWhenInANestedMultipartOrWithoutCloseDelimiterThenStillTheParsersAttachment() throws Exception {
        byte[] big = bytes(1_200_000);
        byte[] nested = join(
                "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
                        + "Content-Type: multipart/related; boundary=inner\r\n\r\n",
                part("inner", "deep.bin", big, "\r\n"),
                "--inner--\r\n--outer--\r\n");
        byte[] cut = join("Content-Type: multipart/mixed; boundary=b\r\n\r\n", part("b", "cut.bin", big, "\r\n"));

        for (byte[] message : List.of(nested, cut)) {
            List<Seen> seen = scan(wholeSource(message));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).decoded()).isEqualTo(big);
            assertThat(matching(parse(message), seen.get(0)).openDecoded().readAllBytes())
                    .isEqualTo(big);
        }
        assertThat(scan(wholeSource(cut)).get(0).end()).isEqualTo(cut.length);
    }

    @Test
    void scanWhenALineStartsWithADashInsideTheBodyThenNoAttachmentClaimsWhatWasFound() throws Exception {
        byte[] big = bytes(2_000_000);
        String body = part("b", "dash.bin", big, "\r\n");
        int middle = body.indexOf("\r\n", body.length() / 2) + 2;
        String dashed = body.substring(0, middle) + "-not-a-delimiter\r\n" + body.substring(middle);
        byte[] message = join("Content-Type: multipart/mixed; boundary=b\r\n\r\n", dashed, "--b--\r\n");

        List<Seen> seen = scan(wholeSource(message));

        assertThat(seen).hasSize(1);
        ParsedMessage parsed = parse(message);
        assertThat(parsed.attachments()).hasSize(1);
        assertThat(isSeen(parsed.attachments().get(0), seen)).isFalse();
    }

    @Test
    void scanWhenSmallOrNotBase64ThenNothing() throws Exception {
        byte[] message = join(
                "Content-Type: multipart/mixed; boundary=b\r\n\r\n",
                part("b", "small.bin", bytes(500_000), "\r\n"),
                "--b\r\nContent-Type: text/plain\r\n\r\n" + "x".repeat(70) + "\r\n".repeat(1) + "--b--\r\n");

        assertThat(scan(wholeSource(message))).isEmpty();
    }

    private List<Seen> scan(Base64Bodies.Source source) throws IOException {
        List<Seen> seen = new ArrayList<>();
        Base64Bodies.scan(source, MIN, body -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            IOException failure = null;
            try {
                body.decoded().transferTo(out);
            } catch (IOException e) {
                failure = e;
            }
            seen.add(new Seen(body.start(), body.end(), out.toByteArray(), failure));
        });
        return seen;
    }

    private ParsedMessage parse(byte[] message) throws Exception {
        Path file = Files.createTempFile(dir, "m", ".eml");
        Files.write(file, message);
        return parser.parse(file);
    }

    private static Attachment matching(ParsedMessage parsed, Seen seen) {
        List<Attachment> found = parsed.attachments().stream()
                .filter(a -> a.isBase64Body(seen.start(), seen.end()))
                .toList();
        assertThat(found)
                .as("attachments at [%d, %d)", seen.start(), seen.end())
                .hasSize(1);
        return found.get(0);
    }

    private static boolean isSeen(Attachment attachment, List<Seen> seen) {
        return seen.stream().anyMatch(s -> attachment.isBase64Body(s.start(), s.end()));
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String part(String boundary, String name, byte[] content, String lineBreak) {
        String text = Base64.getMimeEncoder(76, lineBreak.getBytes(StandardCharsets.US_ASCII))
                .encodeToString(content);
        return "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"" + name + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + text + lineBreak;
    }

    private static byte[] join(String... pieces) {
        return String.join("", pieces).getBytes(StandardCharsets.US_ASCII);
    }

    /** The whole message at once, read in ragged pieces. */
    private Base64Bodies.Source wholeSource(byte[] message) {
        return (position, bytes, offset, length) -> {
            if (position >= message.length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, 1 + random.nextInt(100_000)), message.length - position);
            System.arraycopy(message, (int) position, bytes, offset, n);
            return n;
        };
    }

    /** A message that another thread makes readable a random piece at a time, as the listener does. */
    private static final class Growing implements Base64Bodies.Source {
        private final byte[] message;
        private long published;

        Growing(byte[] message, Random random) {
            this.message = message;
            Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    synchronized (this) {
                        published = Math.min(message.length, published + 1 + random.nextInt(300_000));
                        notifyAll();
                        if (published == message.length) {
                            return;
                        }
                    }
                    Thread.onSpinWait();
                }
            });
        }

        @Override
        public synchronized int read(long position, byte[] bytes, int offset, int length) throws IOException {
            while (position >= published && published < message.length) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (position >= message.length) {
                return -1;
            }
            int n = (int) Math.min(length, published - position);
            System.arraycopy(message, (int) position, bytes, offset, n);
            return n;
        }
    }

    @Test
    void readersOfTheDecodedStreamMayUseAnyReadSize() throws Exception {
        byte[] big = bytes(1_100_000);
        byte[] message =
                join("Content-Type: multipart/mixed; boundary=b\r\n\r\n", part("b", "x", big, "\r\n"), "--b--\r\n");
        List<byte[]> got = new ArrayList<>();
        Base64Bodies.scan(wholeSource(message), MIN, body -> {
            InputStream in = body.decoded();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
            }
            got.add(out.toByteArray());
        });
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).isEqualTo(big);
    }
}
