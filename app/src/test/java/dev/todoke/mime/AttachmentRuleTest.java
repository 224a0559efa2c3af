package dev.todoke.mime;

import static dev.todoke.mime.TestMessages.base64Lines;
import static dev.todoke.mime.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attachment rule of docs/gateway.md, part by part: what stays in the outside copy and what becomes a link. */
class AttachmentRuleTest {

    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @TempDir
    Path dir;

    private MimeParser parser = new MimeParser(MimeLimits.defaults());

    private List<String> linked(TestMessages m) throws Exception {
        List<String> names = new ArrayList<>();
        for (Attachment a : parser.parse(m.write(dir)).attachments()) {
            names.add(a.contentType() + " " + a.fileName());
        }
        return names;
    }

    /** text/html showing {@code html} in multipart/related with one more part. */
    private static TestMessages related(String html, String... part) {
        return message()
                .headers("related")
                .line("Content-Type: multipart/related; boundary=\"r\"", "")
                .part("r", "Content-Type: text/html; charset=UTF-8", "", "<html><body>" + html + "</body></html>")
                .part("r", part)
                .close("r");
    }

    private static String[] image(String... headers) {
        List<String> lines = new ArrayList<>(List.of(headers));
        lines.add("Content-Transfer-Encoding: base64");
        lines.add("");
        lines.add(PNG);
        return lines.toArray(String[]::new);
    }

    @Test
    void classifyWhenImageRenderedByHtmlThenKept() throws Exception {
        assertThat(linked(
                        related("<img src=\"cid:logo@x\">", image("Content-Type: image/png", "Content-ID: <logo@x>"))))
                .isEmpty();
        assertThat(linked(related(
                        "<td background='cid:logo%40x'>",
                        image("Content-Type: image/png", "Content-Disposition: inline", "Content-ID: <logo@x>"))))
                .isEmpty();
    }

    @Test
    void classifyWhenCidOnlyInCommentScriptOrLinkThenLinked() throws Exception {
        String[] png = image("Content-Type: image/png; name=\"p.png\"", "Content-ID: <p@x>");
        assertThat(linked(related("<!-- <img src=\"cid:p@x\"> -->", png))).containsExactly("image/png p.png");
        assertThat(linked(related("<script>var a='<img src=\"cid:p@x\">'</script>", png)))
                .containsExactly("image/png p.png");
        assertThat(linked(related("<a href=\"cid:p@x\">open</a>", png))).containsExactly("image/png p.png");
    }

    @Test
    void classifyWhenReferencedPartIsNoImageOrMarkedAttachmentThenLinked() throws Exception {
        // Apple Mail sends a PDF inline and shows it with <img src="cid:...">
        assertThat(linked(related(
                        "<img src=\"cid:pdf@x\">",
                        "Content-Type: application/pdf; name=\"salaries.pdf\"",
                        "Content-Disposition: inline; filename=\"salaries.pdf\"",
                        "Content-ID: <pdf@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0xLjQK")))
                .containsExactly("application/pdf salaries.pdf");
        assertThat(linked(related(
                        "<img src=\"cid:x1\">",
                        image(
                                "Content-Type: image/png",
                                "Content-Disposition: attachment; filename=\"x.png\"",
                                "Content-ID: <x1>"))))
                .containsExactly("image/png x.png");
    }

    @Test
    void classifyWhenRenderedImageLargerThanLimitThenLinked() throws Exception {
        parser = new MimeParser(MimeLimits.defaults().withMaxInlineImageBytes(50));
        assertThat(linked(
                        related("<img src=\"cid:logo@x\">", image("Content-Type: image/png", "Content-ID: <logo@x>"))))
                .containsExactly("image/png attachment-1.png");
    }

    @Test
    void classifyWhenCalendarInAlternativeThenKeptAndAttachedIcsLinked() throws Exception {
        TestMessages invitation = message()
                .headers("meeting")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "Content-Type: multipart/alternative; boundary=\"a\"", "")
                .part("a", "Content-Type: text/plain", "", "Meeting at ten")
                .part("a", "Content-Type: text/calendar; method=REQUEST", "", "BEGIN:VCALENDAR", "END:VCALENDAR")
                .close("a")
                .part(
                        "m",
                        "Content-Type: text/calendar; name=\"invite.ics\"",
                        "Content-Disposition: attachment; filename=\"invite.ics\"",
                        "",
                        "BEGIN:VCALENDAR",
                        "END:VCALENDAR")
                .close("m");
        assertThat(linked(invitation)).containsExactly("text/calendar invite.ics");
    }

    @Test
    void classifyWhenReportBlocksThenKeptAndNamedTextLinked() throws Exception {
        TestMessages report = message()
                .headers("bounce")
                .line("Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"", "")
                .part("r", "Content-Type: text/plain", "", "Delivery failed")
                .part(
                        "r",
                        "Content-Type: message/delivery-status",
                        "Content-Disposition: attachment; filename=\"status.txt\"",
                        "",
                        "Reporting-MTA: dns; mx.example",
                        "",
                        "Final-Recipient: rfc822; a@example.com",
                        "Action: failed")
                .part("r", "Content-Type: text/rfc822-headers", "", "Subject: hi")
                .part("r", "Content-Type: text/plain; name=\"notes.txt\"", "", "a file")
                .close("r");
        assertThat(linked(report)).containsExactly("text/plain notes.txt");
    }

    @Test
    void classifyWhenNamelessNonTextLeafOutsideAlternativeThenLinked() throws Exception {
        TestMessages m = message()
                .headers("mixed")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "Content-Type: text/plain", "", "body")
                .part("m", "Content-Type: text/enriched", "", "<bold>x</bold>")
                .part("m", "Content-Type: application/octet-stream", "", "data")
                .close("m");
        assertThat(linked(m))
                .containsExactly("text/enriched attachment-1.bin", "application/octet-stream attachment-2.bin");
    }

    @Test
    void classifyWhenTopLevelIsAnAttachedMessageThenFilesInsideAreFound() throws Exception {
        TestMessages wrapped = message()
                .headers("forward as message")
                .line("Content-Type: message/rfc822", "")
                .line("From: inner@example.com", "Subject: inner", "Content-Type: multipart/mixed; boundary=\"i\"", "")
                .part("i", "Content-Type: text/plain", "", "inner body")
                .part("i", "Content-Type: message/rfc822", "", "Subject: deepest", "", "text")
                .part("i", "Content-Type: application/pdf; name=\"a.pdf\"", "", "%PDF")
                .close("i");
        assertThat(linked(wrapped)).containsExactly("message/rfc822 deepest.eml", "application/pdf a.pdf");
    }

    @Test
    void classifyWhenFirstFragmentOfPartialThenItsContentIsRead() throws Exception {
        TestMessages fragment = message()
                .headers("part 1 of 2")
                .line("Content-Type: message/partial; id=\"abc@x\"; number=1; total=2", "")
                .line("Subject: audio", "Content-Type: audio/basic", "Content-Transfer-Encoding: base64", "")
                .line(base64Lines(new byte[] {1, 2, 3, 4}));
        ParsedMessage parsed = parser.parse(fragment.write(dir));
        assertThat(parsed.attachments()).singleElement().satisfies(a -> {
            assertThat(a.contentType()).isEqualTo("audio/basic");
            try (var in = a.openDecoded()) {
                assertThat(in.readAllBytes()).containsExactly(1, 2, 3, 4);
            }
        });
    }

    @Test
    void classifyWhenMultipartBoundaryNeverAppearsButPartsDoThenWholeBodyIsOneFile() throws Exception {
        TestMessages m = message()
                .headers("mismatch")
                .line("Content-Type: multipart/mixed; boundary=declared", "")
                .part("other", "Content-Type: application/pdf; name=a.pdf", "", "JVBERi0=")
                .close("other");
        ParsedMessage parsed = parser.parse(m.write(dir));
        assertThat(parsed.attachments()).singleElement().satisfies(a -> {
            try (var in = a.openDecoded()) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo(
                                "--other\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nJVBERi0=\r\n--other--\r\n");
            }
        });
    }

    @Test
    void parseWhenHeaderLineIsNoFieldThenBodyStartsThere() throws Exception {
        TestMessages m = message()
                .line(
                        "From: a@example.com",
                        "Subject: s",
                        "Content-Type: text/html",
                        "body starts <b>here</b>",
                        "more");
        ParsedMessage parsed = parser.parse(m.write(dir));
        assertThat(parsed.root().bodyStart).isEqualTo(parsed.root().headerEnd);
        try (var in = Decoding.openBody(parsed.source(), parsed.root())) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("body starts <b>here</b>\r\nmore\r\n");
        }
    }

    @Test
    void parseWhenNoFieldLineHidesMimeFieldsThenRefused() throws Exception {
        TestMessages m = message()
                .line("From: a@example.com", "garbage without colon", "Content-Type: application/pdf", "", "%PDF");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(m.write(dir)))
                .isInstanceOf(MimeRejectedException.class)
                .hasMessageContaining("not a header field");
    }

    @Test
    void parseWhenByteOrderMarkBeforeFirstFieldThenFieldReadWithoutIt() throws Exception {
        byte[] body = message()
                .line("Subject: bom", "Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "Content-Type: text/plain", "", "hi")
                .part("m", "Content-Type: application/pdf; name=\"a.pdf\"", "", "%PDF")
                .close("m")
                .bytes();
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path file = dir.resolve("bom.eml");
        java.nio.file.Files.write(file, withBom);
        ParsedMessage parsed = parser.parse(file);
        assertThat(parsed.subject()).isEqualTo("bom");
        assertThat(parsed.root().fields.get(0).start()).isEqualTo(3);
        assertThat(parsed.attachments()).hasSize(1);
    }

    @Test
    void parseWhenSectionStartsWithContinuationLineThenItIsIgnoredAndFieldsRead() throws Exception {
        TestMessages m = message()
                .headers("continuation first")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "  stray continuation", "Content-Type: application/pdf; name=\"a.pdf\"", "", "%PDF")
                .close("m");
        assertThat(linked(m)).containsExactly("application/pdf a.pdf");
    }

    @Test
    void classifyWhenRenderedPartIsLabelledImageButIsNoImageThenLinked() throws Exception {
        assertThat(linked(related(
                        "<img src=\"cid:fake@x\">",
                        "Content-Type: image/png",
                        "Content-ID: <fake@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "UEsDBBQAAAAIAHNhbGFyaWVzLnhsc3g=")))
                .containsExactly("image/png attachment-1.png");
    }

    @Test
    void isImageWhenCommonFormatsThenTrueAndOtherFilesFalse() {
        assertThat(ImageSignatures.isImage(java.util.Base64.getDecoder().decode(PNG)))
                .isTrue();
        assertThat(ImageSignatures.isImage(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}))
                .isTrue();
        assertThat(ImageSignatures.isImage("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(ImageSignatures.isImage("<?xml version=\"1.0\"?><svg xmlns=\"x\"/>"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(ImageSignatures.isImage("%PDF-1.4".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isFalse();
        assertThat(ImageSignatures.isImage(new byte[] {'P', 'K', 3, 4})).isFalse();
    }
}
