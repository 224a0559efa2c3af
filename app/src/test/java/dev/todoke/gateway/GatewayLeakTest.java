package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ways around the attachment rule found by a security read, each sent over SMTP: the outside copy
 * holds no byte of the file (raw, base64 or quoted-printable) and carries a download link.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayLeakTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final NextHopCapture nextHop = new NextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    /** A file whose every 48-byte window is distinctive: printable (so QP keeps most of it) and random. */
    private static byte[] file(long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('!' + random.nextInt(90));
        }
        return bytes;
    }

    private static String base64(byte[] file) {
        return Base64.getMimeEncoder().encodeToString(file);
    }

    private static String message(String contentTypeLine, String... bodyLines) {
        return String.join(
                "\r\n",
                "From: Sender <" + SENDER + ">",
                "To: " + ALICE,
                "Subject: leak check",
                "Date: Mon, 23 Nov 2026 10:00:00 +0900",
                "Message-ID: <leak-" + System.nanoTime() + "@example.jp>",
                "MIME-Version: 1.0",
                contentTypeLine,
                "",
                String.join("\r\n", bodyLines),
                "");
    }

    /** Sends to one outside recipient; returns that recipient's copy. */
    private byte[] outsideCopy(String message) throws Exception {
        Reply reply =
                GatewayTestSupport.send(listener, SENDER, List.of(ALICE), message.getBytes(StandardCharsets.UTF_8));
        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        return nextHop.rawFor(ALICE).get(0);
    }

    /** No 48-byte run of the file, in any of the three encodings, is in the copy; a download link is. */
    private static void assertLinkedWithoutTrace(byte[] copy, byte[] file) throws Exception {
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        String unfolded = text.replace("=\r\n", "").replace("\r\n", "");
        String raw = new String(file, StandardCharsets.ISO_8859_1);
        String b64 = base64(file).replace("\r\n", "");
        String qp = quotedPrintable(file).replace("=\r\n", "").replace("\r\n", "");
        for (String form : List.of(raw, b64, qp)) {
            for (int i = 0; i + 48 <= form.length(); i += 16) {
                String window = form.substring(i, i + 48);
                assertThat(unfolded)
                        .as("a piece of the file in the outside copy")
                        .doesNotContain(window);
            }
        }
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).containsPattern(GatewayFlowTest.DOWNLOAD_LINK);
    }

    private static String quotedPrintable(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : file) {
            int c = b & 0xff;
            if (c == '=' || c > 126) {
                out.writeBytes(String.format("=%02X", c).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void processWhenAttachmentIsReferencedByCidThenLinkedNotKept() throws Exception {
        byte[] xlsx = file(1);
        byte[] copy = outsideCopy(message(
                "Content-Type: multipart/related; boundary=\"r\"",
                "--r",
                "Content-Type: text/html; charset=UTF-8",
                "",
                "<html><body><p>Figures</p><!-- cid:sal@x --><img src=\"cid:sal@x\"></body></html>",
                "--r",
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Content-Disposition: attachment; filename=\"salaries.xlsx\"",
                "Content-ID: <sal@x>",
                "Content-Transfer-Encoding: base64",
                "",
                base64(xlsx),
                "--r--"));
        assertLinkedWithoutTrace(copy, xlsx);
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).contains("salaries.xlsx", "Figures");
    }

    @Test
    void processWhenAppleMailInlinePdfInRelatedThenLinkedNotKept() throws Exception {
        byte[] pdf = file(2);
        byte[] copy = outsideCopy(message(
                "Content-Type: multipart/alternative; boundary=\"a\"",
                "--a",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "See the contract.",
                "--a",
                "Content-Type: multipart/related; type=\"text/html\"; boundary=\"r\"",
                "",
                "--r",
                "Content-Type: text/html; charset=us-ascii",
                "",
                "<html><body>See the contract.<img src=\"cid:C0FFEE@apple\" width=\"600\"></body></html>",
                "--r",
                "Content-Type: application/pdf; name=\"contract.pdf\"",
                "Content-Disposition: inline; filename=\"contract.pdf\"",
                "Content-ID: <C0FFEE@apple>",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                quotedPrintable(pdf),
                "--r--",
                "--a--"));
        assertLinkedWithoutTrace(copy, pdf);
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).contains("contract.pdf");
    }

    @Test
    void processWhenLabelledPgpEncryptedButNotThenLinkedNotKept() throws Exception {
        byte[] pdf = file(3);
        byte[] copy = outsideCopy(message(
                "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"",
                "--e",
                "Content-Type: application/pgp-encrypted",
                "",
                "Version: 1",
                "--e",
                "Content-Type: application/octet-stream; name=\"plan.pdf\"",
                "",
                new String(pdf, StandardCharsets.US_ASCII),
                "--e--"));
        assertLinkedWithoutTrace(copy, pdf);
    }

    @Test
    void processWhenLabelledSmimeEncryptedButNotThenLinkedNotKept() throws Exception {
        byte[] zip = file(4);
        byte[] copy = outsideCopy(message(
                "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n"
                        + "Content-Transfer-Encoding: base64",
                base64(zip)));
        assertLinkedWithoutTrace(copy, zip);
    }

    @Test
    void processWhenLinesLongerThan998OctetsThenAcceptedAndEveryLineOfTheCopyFits() throws Exception {
        String longLine = "Quarterly figures follow. ".repeat(200); // 5,200 octets, no line break
        byte[] pdf = file(5);
        byte[] copy = outsideCopy(message(
                "Content-Type: multipart/mixed; boundary=\"m\"",
                "--m",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                longLine,
                "--m",
                "Content-Type: application/pdf; name=\"figures.pdf\"",
                "Content-Transfer-Encoding: base64",
                "",
                base64(pdf),
                "--m--"));
        for (String line : new String(copy, StandardCharsets.ISO_8859_1).split("\r\n")) {
            assertThat(line.length()).as("a line of the outside copy").isLessThanOrEqualTo(998);
        }
        assertLinkedWithoutTrace(copy, pdf);
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).contains(longLine.strip());
    }
}
