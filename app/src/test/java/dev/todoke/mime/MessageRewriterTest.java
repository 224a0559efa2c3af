package dev.todoke.mime;

import static dev.todoke.mime.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageRewriterTest {

    static final String NOTICE = "添付ファイルはダウンロードリンクに置き換えられました。 Attachments were replaced by links.";
    static final String NOTICE_HTML = "<div class=\"todoke\">添付ファイル / attachments</div>";

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(MimeLimits.defaults());
    private final MessageRewriter rewriter = new MessageRewriter(new Random(3));
    private final RewriteSpec spec = new RewriteSpec(
            NOTICE, NOTICE_HTML, List.of("X-Todoke-Kind: notice"), name -> name.startsWith("x-todoke-"));

    private byte[] rewrite(TestMessages m) throws Exception {
        Path file = m.write(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.write(parser.parse(file), spec, out);
        byte[] bytes = out.toByteArray();
        Path copy = dir.resolve("out-" + System.nanoTime() + ".eml");
        Files.write(copy, bytes);
        assertThat(parser.parse(copy).attachments()).isEmpty();
        return bytes;
    }

    private static MimeMessage angus(byte[] bytes) throws Exception {
        return new MimeMessage(MimeSamplesTest.session(), new ByteArrayInputStream(bytes));
    }

    /** Text of every text/plain and text/html leaf, and the MIME types of all leaves. */
    private static List<String> leaves(Part part, StringBuilder text) throws Exception {
        List<String> types = new ArrayList<>();
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                types.addAll(leaves(child, text));
            }
            return types;
        }
        types.add(part.getContentType().toLowerCase().split(";")[0].trim());
        if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
            text.append(part.getContent()).append('\n');
        }
        return types;
    }

    private static TestMessages related(String eol) {
        TestMessages m = message();
        if (eol.equals("\n")) {
            m.lf();
        }
        return m.headers("related")
                .line("X-Todoke-Kind: forged", "Content-Type: multipart/mixed; boundary=\"mix\"", "")
                .part("mix", "Content-Type: multipart/related; boundary=\"rel\"", "")
                .part("rel", "Content-Type: multipart/alternative; boundary=\"alt\"", "")
                .part(
                        "alt",
                        "Content-Type: text/plain; charset=ISO-2022-JP",
                        "Content-Transfer-Encoding: 7bit",
                        "",
                        new String(
                                "お世話になっております。".getBytes(java.nio.charset.Charset.forName("ISO-2022-JP")),
                                StandardCharsets.ISO_8859_1),
                        "second line")
                .part(
                        "alt",
                        "Content-Type: text/html; charset=UTF-8",
                        "Content-Transfer-Encoding: quoted-printable",
                        "",
                        "<html><head><meta charset=3D\"iso-8859-1\"></head><body bgcolor=3Dwhite><p>HTML =E6=9C=AC=E6=96=87</p><img src=3D\"cid:img1@x\"></body></html>")
                .close("alt")
                .part(
                        "rel",
                        "Content-Type: image/png; name=\"logo.png\"",
                        "Content-ID: <img1@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
                .close("rel")
                .part(
                        "mix",
                        "Content-Type: application/pdf; name=\"見積書.pdf\"",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0xLjQK")
                .close("mix");
    }

    @Test
    void writeWhenInlineImageReferencedThenItsBytesAreIdenticalAndAttachmentGone() throws Exception {
        for (String eol : List.of("\r\n", "\n")) {
            TestMessages m = related(eol);
            String input = m.text();
            byte[] out = rewrite(m);
            String output = new String(out, StandardCharsets.UTF_8);
            int start = input.indexOf("Content-Type: image/png");
            int end = input.indexOf(eol + "--rel--");
            String imagePart = input.substring(start, end);
            assertThat(output).contains(imagePart);
            assertThat(output).doesNotContain("JVBERi0xLjQK").doesNotContain("application/pdf");
            assertThat(output).startsWith("X-Todoke-Kind: notice\r\n").doesNotContain("forged");
            MimeMessage result = angus(out);
            StringBuilder text = new StringBuilder();
            assertThat(leaves(result, text)).containsExactly("text/plain", "text/html", "image/png");
            assertThat(text.toString())
                    .contains("お世話になっております。", "second line", "HTML 本文", NOTICE, NOTICE_HTML)
                    .contains("<body bgcolor=white>" + NOTICE_HTML)
                    .contains("charset=\"UTF-8\"");
            assertThat(result.getSubject()).isEqualTo("related");
            assertThat(result.getHeader("Message-ID")).containsExactly("<m1@example.co.jp>");
        }
    }

    @Test
    void writeWhenNoTextBodyThenNoticeAlternativeAdded() throws Exception {
        byte[] out = rewrite(message()
                .headers("only files")
                .line("Content-Type: multipart/mixed; boundary=b", "")
                .part(
                        "b",
                        "Content-Type: application/pdf; name=a.pdf",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0=")
                .part("b", "Content-Type: image/jpeg; name=b.jpg", "Content-Transfer-Encoding: base64", "", "/9j/4AA=")
                .close("b"));
        StringBuilder text = new StringBuilder();
        assertThat(leaves(angus(out), text)).containsExactly("text/plain", "text/html");
        assertThat(text.toString()).contains(NOTICE, NOTICE_HTML);
    }

    @Test
    void writeWhenWholeMessageIsOneAttachmentThenBodyBecomesNotice() throws Exception {
        byte[] out = rewrite(message()
                .headers("single")
                .line(
                        "Content-Type: application/pdf; name=a.pdf",
                        "Content-Disposition: attachment; filename=a.pdf",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0="));
        MimeMessage result = angus(out);
        StringBuilder text = new StringBuilder();
        assertThat(leaves(result, text)).containsExactly("text/plain", "text/html");
        assertThat(text.toString()).contains(NOTICE);
        assertThat(new String(out, StandardCharsets.UTF_8))
                .doesNotContain("Content-Disposition")
                .doesNotContain("JVBERi0=");
    }

    @Test
    void writeWhenPlainTextOnlyThenNoticePrependedAndTextKept() throws Exception {
        byte[] out = rewrite(message()
                .headers("plain")
                .line(
                        "Content-Type: text/plain; charset=Shift_JIS; format=flowed",
                        "Content-Transfer-Encoding: 8bit",
                        "")
                .line(new String("よろしくお願いします。".getBytes("windows-31j"), StandardCharsets.ISO_8859_1)));
        // the builder writes UTF-8; re-read what the parser saw to build expectations
        MimeMessage result = angus(out);
        String content = (String) result.getContent();
        assertThat(content).startsWith(NOTICE);
        assertThat(result.getContentType()).contains("charset=UTF-8").contains("format=\"flowed\"");
    }

    @Test
    void writeWhenSignedThenWrapperAndSignatureRemoved() throws Exception {
        byte[] out = rewrite(TestMessages.signedWithPdf("Content-Type: text/plain; charset=UTF-8", "signed body text"));
        MimeMessage result = angus(out);
        assertThat(result.getContentType()).startsWith("multipart/mixed");
        StringBuilder text = new StringBuilder();
        assertThat(leaves(result, text)).containsExactly("text/plain");
        assertThat(text.toString()).contains("signed body text", NOTICE);
        assertThat(new String(out, StandardCharsets.UTF_8))
                .doesNotContain("pkcs7-signature")
                .doesNotContain("smime.p7s");
    }

    @Test
    void writeWhenEncryptedThenOnlyHeadersChange() throws Exception {
        TestMessages m = message()
                .headers("enc")
                .line(
                        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
                        "Content-Transfer-Encoding: base64",
                        "")
                .line(TestMessages.base64Lines(CmsFixtures.envelopedData("secret")));
        Path file = m.write(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.write(parser.parse(file), spec, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("X-Todoke-Kind: notice\r\n" + m.text());
    }

    @Test
    void writeWhen8bitAndBinaryPartsKeptThenBytesUnchanged() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}; // an image by its content
        System.arraycopy(png, 0, binary, 0, png.length);
        String head = "From: a@example.com\r\nSubject: bin\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/related; boundary=r\r\n\r\n--r\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "<html><body>本文 <img src=\"cid:bin@x\"></body></html>\r\n--r\r\n"
                + "Content-Type: image/png\r\nContent-ID: <bin@x>\r\nContent-Transfer-Encoding: binary\r\n\r\n";
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(head.getBytes(StandardCharsets.UTF_8));
        raw.write(binary);
        raw.write("\r\n--r--\r\n".getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("bin.eml");
        Files.write(file, raw.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.write(parser.parse(file), spec, out);
        byte[] result = out.toByteArray();
        String tail = "Content-Type: image/png\r\nContent-ID: <bin@x>\r\nContent-Transfer-Encoding: binary\r\n\r\n";
        int at = indexOf(result, tail.getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        byte[] copied = java.util.Arrays.copyOfRange(result, at + tail.length(), at + tail.length() + binary.length);
        assertThat(copied).isEqualTo(binary);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void writeWhenHtmlShowsPartThatBecameLinkThenPlaceholderNamesTheFile() throws Exception {
        TestMessages m = message()
                .headers("apple mail pdf")
                .line("Content-Type: multipart/related; boundary=\"r\"", "")
                .part(
                        "r",
                        "Content-Type: text/html; charset=UTF-8",
                        "",
                        "<html><body><p>Please see</p><img src=\"cid:pdf@x\" width=600></body></html>")
                .part(
                        "r",
                        "Content-Type: application/pdf; name=\"salaries.pdf\"",
                        "Content-Disposition: inline; filename=\"salaries.pdf\"",
                        "Content-ID: <pdf@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0xLjQKc2FsYXJpZXMgb2YgZXZlcnlvbmU=")
                .close("r");
        byte[] copy = rewrite(m);
        StringBuilder text = new StringBuilder();
        assertThat(leaves(angus(copy), text)).doesNotContain("application/pdf");
        assertThat(text.toString())
                .contains("Please see", "salaries.pdf", NOTICE_HTML)
                .doesNotContain("cid:pdf@x");
        assertThat(new String(copy, StandardCharsets.US_ASCII)).doesNotContain("JVBERi0xLjQK");
    }

    @Test
    void writeWhenKeptPartHasLinesOver998OctetsThenEveryLineFits() throws Exception {
        String longWord = "x".repeat(3000);
        TestMessages m = message()
                .line(
                        "From: a@example.com",
                        "Subject: " + longWord.substring(0, 500) + " " + longWord,
                        "MIME-Version: 1.0")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "", "preamble " + longWord)
                .part("m", "Content-Type: multipart/alternative; boundary=\"a\"", "")
                .part("a", "Content-Type: text/plain", "", "body " + longWord)
                .part("a", "Content-Type: text/calendar; method=REQUEST", "", "DESCRIPTION:" + longWord)
                .close("a")
                .part("m", "Content-Type: application/pdf; name=\"a.pdf\"", "", "%PDF")
                .close("m");
        byte[] copy = rewrite(m);
        for (String line : new String(copy, StandardCharsets.UTF_8).split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
        StringBuilder text = new StringBuilder();
        MimeMessage parsed = angus(copy);
        assertThat(leaves(parsed, text)).contains("text/plain", "text/calendar");
        assertThat(text.toString()).contains("body " + longWord);
        assertThat(parsed.getHeader("Subject")[0].replaceAll("\\s", ""))
                .isEqualTo(longWord.substring(0, 500) + longWord);
    }

    @Test
    void writeWhenBoundaryLongerThanALineThenCopyGetsANewOne() throws Exception {
        String boundary = "b".repeat(1500);
        TestMessages m = message()
                .headers("long boundary")
                .line("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"", "")
                .part(boundary, "Content-Type: text/plain", "", "hello")
                .part(boundary, "Content-Type: application/pdf; name=\"a.pdf\"", "", "%PDF")
                .close(boundary);
        byte[] copy = rewrite(m);
        assertThat(new String(copy, StandardCharsets.UTF_8)).doesNotContain(boundary);
        StringBuilder text = new StringBuilder();
        assertThat(leaves(angus(copy), text)).containsExactly("text/plain");
        assertThat(text.toString()).contains("hello");
    }
}
