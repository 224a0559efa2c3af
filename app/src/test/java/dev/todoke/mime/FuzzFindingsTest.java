package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs the Jazzer fuzz tests (MimeFuzzTest, HeaderFuzzTest) found to break a property, kept as plain
 * tests that run on every build (docs/fuzzing.md). Each names the finding it guards against.
 */
class FuzzFindingsTest {

    /** HeaderFuzzTest: an RFC 2231 continuation in UTF-7 (decode only) threw UnsupportedOperationException. */
    @Test
    void parseWhenUtf7ContinuationThenDecodedWithoutEncoder() {
        String raw = "attachment; filename*0*=UTF-7''%E6%B7%BB; filename*1=\".pdf\"; size=12";

        HeaderParams params = HeaderParams.parse(raw);

        assertThat(params.value()).isEqualTo("attachment");
        assertThat(params.param("filename")).endsWith(".pdf");
        HeaderFuzzTest.check(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * MimeFuzzTest: a multipart/mixed whose boundary quote never closes, and whose top level says {@code
     * Content-Disposition: attachment}: the rewritten copy still held an attachment.
     */
    @Test
    void rewriteWhenTopLevelAttachmentUnderBrokenMultipartThenNoAttachmentLeft(@TempDir Path dir) throws Exception {
        String raw =
                "Content-Type: multipart/mixed; boundary=\"------------D6BBFC1853527FEEDname=\"PDF417(3.2.4).msi\"\n"
                        + "Content-Transfer-Encoding: base64\n"
                        + "Content-Disposition: attachment; filename=\"PDF417(3.2.4).msi\"\n"
                        + "\n"
                        + "MAo=\n"
                        + "--------------D6BBFC1853527FEEDD26DC71--\n";

        MimeFuzzTest.check(dir, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A multipart/related: an HTML body, one GIF it shows, and {@code extra} parts after it. */
    private static byte[] related(String htmlType, String html, String extra) {
        return ("From: a@example.com\nTo: b@example.com\nMIME-Version: 1.0\n"
                        + "Content-Type: multipart/related; boundary=rel\n\n"
                        + "--rel\nContent-Type: " + htmlType + "\n\n" + html + "\n"
                        + "--rel\nContent-Type: image/gif\nContent-ID: <i1@x>\n\nGIF89a\n"
                        + extra
                        + "--rel--\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * MimeFuzzTest (crash-1c6614bf…, an MMS sample with parts copied): two parts carry one Content-ID, a GIF
     * and a broken copy of it. The broken one became a link, so the copy replaced the HTML's {@code cid:}
     * with its placeholder, and the GIF that had stayed inline was left in the copy as an attachment. A
     * Content-ID that several parts carry keeps none of them inline.
     */
    @Test
    void rewriteWhenTwoPartsShareContentIdThenBothBecomeLinks(@TempDir Path dir) throws Exception {
        byte[] raw = related(
                "text/html",
                "<img src=\"cid:i1@x\">",
                "--rel\nContent-Type: image/gif\nContent-ID: <I1@x>\n\nnot a gif\n");

        assertThat(attachmentTypes(dir, raw)).containsExactly("image/gif", "image/gif");
        MimeFuzzTest.check(dir, raw);
    }

    /** Found with the one above: an HTML body read in its declared charset (UTF-16, EBCDIC) shows no cid:. */
    @Test
    void rewriteWhenCidVisibleOnlyAsLatin1BytesThenImageBecomesLink(@TempDir Path dir) throws Exception {
        for (String charset : new String[] {"utf-16", "IBM037"}) {
            byte[] raw = related("text/html; charset=" + charset, "<img src=\"cid:i1@x\">", "");

            assertThat(attachmentTypes(dir, raw)).as(charset).containsExactly("image/gif");
            MimeFuzzTest.check(dir, raw);
        }
    }

    /**
     * Found with the one above: an {@code <img>} whose source became a link and whose style shows the GIF
     * that stays: the placeholder replaced the whole tag and the GIF lost its reference. The tag now keeps
     * its other references (the linked source becomes about:blank).
     */
    @Test
    void rewriteWhenImgTagAlsoShowsKeptImageThenReferenceKept(@TempDir Path dir) throws Exception {
        byte[] raw = related(
                "text/html",
                "<img src=\"cid:z@x\" style=\"background:url(cid:i1@x)\">",
                "--rel\nContent-Type: application/pdf\nContent-ID: <z@x>\n\n%PDF-1.4\n");

        assertThat(attachmentTypes(dir, raw)).containsExactly("application/pdf");
        MimeFuzzTest.check(dir, raw);
    }

    /** The content types of the attachments the parser finds (what becomes a link). */
    private static List<String> attachmentTypes(Path dir, byte[] raw) throws Exception {
        Path file = dir.resolve("raw.eml");
        Files.write(file, raw);
        try (ParsedMessage parsed = new MimeParser(MimeLimits.defaults()).parse(file)) {
            return parsed.attachments().stream().map(Attachment::contentType).toList();
        }
    }
}
