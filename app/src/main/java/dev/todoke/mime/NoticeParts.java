package dev.todoke.mime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Writes the notice as a new multipart/alternative (text and HTML, UTF-8 base64), for copies that have
 * no body of their own to carry it. Stateless apart from its inputs.
 */
final class NoticeParts {

    private final SpoolCopier copier;
    private final RewriteSpec spec;
    private final Supplier<String> boundaries;

    NoticeParts(SpoolCopier copier, RewriteSpec spec, Supplier<String> boundaries) {
        this.copier = copier;
        this.spec = spec;
        this.boundaries = boundaries;
    }

    void noticeAlternativeEntity() throws IOException {
        String boundary = boundaries.get();
        copier.ascii("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n");
        noticeAlternativeBody(boundary);
    }

    void noticeAlternativeBody(String boundary) throws IOException {
        copier.ascii("--" + boundary + "\r\n");
        copier.ascii("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        BodyEncoder.base64(crlf(spec.noticeText()).getBytes(StandardCharsets.UTF_8), copier.out());
        copier.ascii("\r\n--" + boundary + "\r\n");
        copier.ascii("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        String html = "<!DOCTYPE html>\r\n<html><head><meta charset=\"UTF-8\"></head><body>\r\n"
                + crlf(spec.noticeHtml()) + "\r\n</body></html>\r\n";
        BodyEncoder.base64(html.getBytes(StandardCharsets.UTF_8), copier.out());
        copier.ascii("\r\n--" + boundary + "--\r\n");
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
    }
}
