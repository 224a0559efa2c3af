package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures parse + base64 decode of one 64 MiB attachment against the JDK's streaming MIME decoder. Run
 * with {@code ./mvnw -B -ntp -pl app test -Dtest=MimeDecodeBenchmarkTest -Dtodoke.bench=true}.
 */
@EnabledIfSystemProperty(named = "todoke.bench", matches = "true")
class MimeDecodeBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void decodeWhen64MibBase64AttachmentThenReportsMegabytesPerSecond() throws Exception {
        int size = Integer.getInteger("todoke.bench.mib", 64) * 1024 * 1024;
        byte[] data = new byte[size];
        new Random(5).nextBytes(data);
        Path file = dir.resolve("big.eml");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(("From: a@example.com\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
                            + "--b\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
                            + "Content-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(Base64.getMimeEncoder().encode(data));
            out.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        data = null;
        MimeParser parser = new MimeParser(MimeLimits.defaults());
        byte[] buffer = new byte[64 * 1024];
        StringBuilder report = new StringBuilder(
                "MIME decode, 64 MiB attachment (" + Files.size(file) / (1 << 20) + " MiB encoded)\n");
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            ParsedMessage parsed = parser.parse(file);
            long t1 = System.nanoTime();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long decoded = 0;
            try (InputStream in = parsed.attachments().get(0).openDecoded()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    decoded += n;
                }
            }
            long t2 = System.nanoTime();
            try (InputStream in = parsed.attachments().get(0).openDecoded()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
            assertThat(sha.digest()).isEqualTo(expected);
            long t3 = System.nanoTime();
            long jdk = 0;
            try (InputStream in = Base64.getMimeDecoder()
                    .wrap(new java.io.BufferedInputStream(
                            new RangeInputStream(file, part(parsed).bodyStart, part(parsed).bodyEnd), 64 * 1024))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    jdk += n;
                }
            }
            long t4 = System.nanoTime();
            assertThat(decoded).isEqualTo(size);
            assertThat(jdk).isEqualTo(size);
            report.append(String.format(
                    "  round %d: parse (scan) %.0f MB/s, decode %.0f MB/s, JDK getMimeDecoder().wrap %.0f MB/s%n",
                    round, mbps(Files.size(file), t1 - t0), mbps(size, t2 - t1), mbps(size, t4 - t3)));
        }
        System.out.print(report);
    }

    private static Part part(ParsedMessage parsed) {
        return ((PartAttachment) parsed.attachments().get(0)).part();
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }
}
