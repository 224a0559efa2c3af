package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.todoke.testkit.Components;
import dev.todoke.testkit.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the MIME parser (StructureScanner, Classifier, the decoders) and the rewriter with raw messages
 * (docs/fuzzing.md). Properties for every input: the parser either parses or refuses with {@link
 * MimeRejectedException}, nothing else; every attachment decodes to at most as many bytes as the message
 * has (bounded memory); the rewritten copy is at most a bounded amount larger than the input, parses again
 * and has no attachment left (unless the mail is encrypted, which is passed through). Hangs are found by
 * Jazzer's per-input timeout in fuzzing mode and by the JVM's heap limit for memory.
 */
class MimeFuzzTest {

    private static final MimeParser PARSER = new MimeParser(MimeLimits.defaults());
    /** The rewritten copy may have one nesting level and a few parts more (a new notice alternative). */
    private static final MimeParser REPARSER = new MimeParser(new MimeLimits(23, 510, 512 * 1024, 64 * 1024));

    private static final MessageRewriter REWRITER = new MessageRewriter(new Random(7));
    private static final RewriteSpec SPEC = new RewriteSpec(
            "TODOKE-NOTICE 添付ファイルはリンクに置き換えられました",
            "<p>TODOKE-NOTICE</p>",
            List.of("X-Todoke-Kind: notice"),
            n -> n.startsWith("x-todoke-"));

    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("todoke-fuzz-mime");
        FuzzSeeds.plant(MimeFuzzTest.class, "parseAndRewrite", seeds(), true);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "20s")
    void parseAndRewrite(byte[] message) throws Exception {
        check(message);
    }

    /** The same properties over every real sample in ../shared/mime-samples (skipped where it is absent). */
    @Test
    void parseAndRewriteWhenSharedSamplesThenPropertiesHold() throws Exception {
        Components.requireShared();
        List<Path> samples = FuzzSeeds.sharedMimeSamples();
        assertThat(samples).isNotEmpty();
        for (Path sample : samples) {
            try {
                check(Files.readAllBytes(sample));
            } catch (AssertionError | Exception e) {
                throw new AssertionError(sample + ": " + e, e);
            }
        }
    }

    /** The programmatic seeds, also replayed on every test run. */
    @Test
    void parseAndRewriteWhenGeneratedSeedsThenPropertiesHold() throws Exception {
        for (byte[] seed : seeds()) {
            check(seed);
        }
    }

    static void check(byte[] message) throws IOException {
        check(dir, message);
    }

    static void check(Path dir, byte[] message) throws IOException {
        Path file = dir.resolve("in.eml");
        Files.write(file, message);
        List<EarlyBody> early = earlyBodies(message);
        ParsedMessage parsed;
        try {
            parsed = PARSER.parse(file);
        } catch (MimeRejectedException e) {
            assertThat(e.reason()).isNotBlank();
            return;
        }
        byte[] rewritten;
        try (parsed) {
            for (Attachment a : parsed.attachments()) {
                assertThat(a.fileName()).isNotBlank();
                long decoded = drain(a);
                assertThat(decoded).as("decoded size of %s", a.fileName()).isLessThanOrEqualTo(message.length);
                for (EarlyBody body : early) {
                    if (a.isBase64Body(body.start(), body.end())) {
                        try (InputStream in = a.openDecoded()) {
                            assertThat(in.readAllBytes())
                                    .as("%s: what the early store would keep for [%d, %d)", a, body.start(), body.end())
                                    .isEqualTo(body.decoded());
                        }
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            REWRITER.write(parsed, SPEC, out);
            rewritten = out.toByteArray();
            // base64 re-encoding of over-long lines (4/3), folding, the notice parts and new boundaries
            assertThat((long) rewritten.length).isLessThanOrEqualTo(message.length * 2L + 64 * 1024);
            Security security = parsed.security();
            Path copy = dir.resolve("out.eml");
            Files.write(copy, rewritten);
            try (ParsedMessage again = REPARSER.parse(copy)) {
                if (security != Security.ENCRYPTED) {
                    assertThat(again.attachments())
                            .as("attachments left in the rewritten copy")
                            .isEmpty();
                }
            } catch (MimeRejectedException e) {
                throw new AssertionError("the rewritten copy is refused: " + e.reason());
            }
        }
    }

    /** A body {@link Base64Bodies} decoded whole (ADR 0198). */
    private record EarlyBody(long start, long end, byte[] decoded) {}

    /**
     * Every base64 body the early store would find (any size), read in ragged pieces: the scan never
     * fails on any input, and a body it decodes whole is, where the parser sees an attachment at the same
     * range, that attachment's bytes (checked in {@link #check(Path, byte[])}).
     */
    private static List<EarlyBody> earlyBodies(byte[] message) throws IOException {
        Random pieces = new Random(message.length);
        List<EarlyBody> found = new ArrayList<>();
        Base64Bodies.scan(
                (position, bytes, offset, length) -> {
                    if (position >= message.length) {
                        return -1;
                    }
                    int n = (int) Math.min(Math.min(length, 1 + pieces.nextInt(4096)), message.length - position);
                    System.arraycopy(message, (int) position, bytes, offset, n);
                    return n;
                },
                1,
                body -> {
                    try {
                        byte[] decoded = body.decoded().readAllBytes();
                        assertThat(decoded.length).isLessThanOrEqualTo(message.length);
                        found.add(new EarlyBody(body.start(), body.end(), decoded));
                    } catch (IOException e) {
                        assertThat(e).hasMessage(Base64DecodingInputStream.NOT_PLAIN);
                        assertThat(body.end()).isEqualTo(-1);
                    }
                });
        return found;
    }

    private static long drain(Attachment a) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        try (InputStream in = a.openDecoded()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    static List<byte[]> seeds() {
        List<String> texts = List.of("""
                From: a@example.co.jp
                To: b@example.com
                Subject: =?UTF-8?B?5re75LuY?=
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                preamble
                --b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Hello =E3=81=82
                --b1
                Content-Type: application/pdf; name="=?ISO-2022-JP?B?GyRCRTpJVRsoQg==?=.pdf"
                Content-Disposition: attachment; filename*=UTF-8''%E6%B7%BB%E4%BB%98.pdf
                Content-Transfer-Encoding: base64

                JVBERi0xLjQKJcfsj6IK
                --b1--
                epilogue
                """, """
                From: a@example.co.jp
                To: b@example.com
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary=alt

                --alt
                Content-Type: text/plain

                text
                --alt
                Content-Type: multipart/related; boundary=rel

                --rel
                Content-Type: text/html

                <html><body><img src="cid:i1@x"></body></html>
                --rel
                Content-Type: image/png
                Content-ID: <i1@x>
                Content-Transfer-Encoding: base64

                iVBORw0KGgo=
                --rel--
                --alt--
                """, """
                From: a@example.co.jp
                To: b@example.com
                MIME-Version: 1.0
                Content-Type: message/rfc822

                From: inner@example.com
                Subject: inner
                Content-Type: multipart/mixed; boundary=x

                --x
                Content-Type: application/zip
                Content-Disposition: attachment; filename*0="a"; filename*1=".zip"

                PK\u0003\u0004
                --x
                Content-Type: message/rfc822
                Content-Disposition: attachment

                Subject: attached

                body
                --x--
                """, """
                From: a@example.co.jp
                To: b@example.com
                Subject: uu

                text before
                begin 644 file.txt
                #86)C
                `
                end
                """, """
                From: a@example.co.jp
                To: b@example.com
                MIME-Version: 1.0
                Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=s

                --s
                Content-Type: text/plain

                signed
                --s
                Content-Type: application/pkcs7-signature; name=smime.p7s
                Content-Transfer-Encoding: base64

                MIIB
                --s--
                """, """
                From: a@example.co.jp
                To: b@example.com
                MIME-Version: 1.0
                Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
                Content-Transfer-Encoding: base64

                MIIB
                """);
        List<byte[]> result = new ArrayList<>();
        for (String text : texts) {
            result.add(text.getBytes(StandardCharsets.UTF_8));
            result.add(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return result;
    }
}
