package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.testkit.ClamdServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything streams (issue 13, item 5): a 200 MB attachment sent over SMTP is scanned by a real clamd
 * (its limits raised to 300 MB), inspected for password protection and stored, by the whole application
 * running in a child JVM whose heap is capped at {@value #HEAP} (less than the file); the stored blob
 * reads back with the file's SHA-256.
 */
class VirusScanLargeFileTest {

    static final long SIZE = 200L * 1024 * 1024;
    static final String HEAP = "-Xmx96m";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @RegisterExtension
    static final ClamdServer clamd = new ClamdServer()
            .with("StreamMaxLength", "300M")
            .with("MaxFileSize", "300M")
            .with("MaxScanSize", "300M");

    @Test
    void processWhen200MbAttachmentAndHeapCappedThenScannedStoredAndIntact() throws Exception {
        Path mail = dir.resolve("large.eml");
        String expected = writeMail(mail);
        Path log = dir.resolve("child.log");
        Process child = startChild(log);
        try {
            int port = awaitPort(child, log);
            Reply reply;
            try (InputStream in = Files.newInputStream(mail)) {
                reply = new SmtpClient("127.0.0.1", port).send(SENDER, List.of(ALICE), in);
            }
            assertThat(reply.code())
                    .as(reply.text() + "\n" + Files.readString(log))
                    .isEqualTo(250);

            try (Writer stdin = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII)) {
                stdin.write("verify\n");
            }
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("child exits").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output)
                    .contains("STORED name=large.bin size=" + SIZE + " recorded=" + expected + " actual=" + expected)
                    .contains("CLEAN-SCANS=1");
            Matcher max = Pattern.compile("maxMemory=(\\d+)").matcher(output);
            assertThat(max.find()).as(output).isTrue();
            assertThat(Long.parseLong(max.group(1))).isLessThan(SIZE / 2);
            assertThat(nextHop.rawFor(ALICE)).hasSize(1);
        } finally {
            child.destroyForcibly();
        }
    }

    /** A mail with one 200 MB random attachment in base64, written as a stream; returns its SHA-256. */
    private static String writeMail(Path file) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: <" + SENDER + ">\r\nTo: <" + ALICE + ">\r\nSubject: large\r\n"
                            + "Message-ID: <large@example.jp>\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                            + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe file.\r\n"
                            + "--b1\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Disposition: attachment; filename=\"large.bin\"\r\n"
                            + "Content-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Random random = new Random(200);
            byte[] chunk = new byte[57 * 1024];
            OutputStream base64 =
                    Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).wrap(new NonClosing(out));
            for (long left = SIZE; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                base64.write(chunk, 0, n);
                sha256.update(chunk, 0, n);
                left -= n;
            }
            base64.close();
            out.write("\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static Process startChild(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                HEAP,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                HeapCappedGateway.class.getName(),
                "--todoke.data-dir=" + dir.resolve("data"),
                "--server.port=0",
                "--management.server.port=0",
                "--todoke.smtp.port=0",
                "--todoke.smtp.max-message-size=400MB",
                "--todoke.mail.envelope-from=todoke@example.jp",
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + nextHop.port(),
                "--todoke.internal-domains=example.jp",
                "--todoke.clamav.enabled=true",
                "--todoke.clamav.port=" + clamd.port(),
                "--todoke.clamav.timeout=120s"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int awaitPort(Process child, Path log) throws Exception {
        Pattern port = Pattern.compile("SMTP-PORT=(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Matcher m = port.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the child did not start in 3 minutes: " + Files.readString(log));
    }

    /** Lets the base64 encoder be closed (to write its last line) without closing the file. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
