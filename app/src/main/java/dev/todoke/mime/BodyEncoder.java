package dev.todoke.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes part bodies that {@link MessageRewriter} changes, as base64 (lines of 76 octets): a text or HTML
 * body decoded with its charset, the notice put in (at the top of a text, right after {@code <body>} in
 * HTML), references to parts that became links replaced, re-encoded as UTF-8; or any body transfer-decoded
 * and base64-encoded as it is (for lines too long to send). Streams; stateless apart from its inputs.
 */
final class BodyEncoder {

    private static final int HTML_SEARCH_CHARS = 256 * 1024;
    private static final Pattern BODY_TAG = Pattern.compile("<body\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern META_CHARSET =
            Pattern.compile("(<meta\\b[^>]*?charset\\s*=\\s*[\"']?)([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);

    private final Path source;
    private final Map<String, String> linked;

    /** {@code linked}: Content-ID (lower case) of every part that became a link, to its file name. */
    BodyEncoder(Path source, Map<String, String> linked) {
        this.source = source;
        this.linked = linked;
    }

    /** Whether the part with this Content-ID (lower case) became a link. */
    boolean links(String contentId) {
        return linked.containsKey(contentId);
    }

    /** The part's decoded bytes as base64, unchanged otherwise. */
    void base64(Part p, OutputStream out) throws IOException {
        try (InputStream decoded = Decoding.openBody(source, p);
                OutputStream encoder = Base64.getMimeEncoder().wrap(new NonClosing(out))) {
            decoded.transferTo(encoder);
        }
    }

    static void base64(byte[] bytes, OutputStream out) throws IOException {
        try (OutputStream encoder = Base64.getMimeEncoder().wrap(new NonClosing(out))) {
            encoder.write(bytes);
        }
    }

    /** A text ({@code html} false) or HTML body with {@code notice} put in, as UTF-8 base64. */
    void text(Part p, boolean html, String notice, OutputStream out) throws IOException {
        try (Reader reader = Decoding.openText(source, p);
                OutputStream encoder = Base64.getMimeEncoder().wrap(new NonClosing(out));
                Writer utf8 = new OutputStreamWriter(encoder, StandardCharsets.UTF_8);
                Writer writer = html && !linked.isEmpty() ? new CidPlaceholders(utf8, linked) : utf8) {
            if (html) {
                htmlStart(reader, notice, writer);
            } else if (!notice.isEmpty()) {
                writer.write(notice);
                writer.write(notice.endsWith("\r\n") ? "\r\n" : "\r\n\r\n");
            }
            reader.transferTo(writer);
        }
    }

    /** Copies the HTML up to and with its body tag, then the notice (at the start when there is no body tag). */
    private static void htmlStart(Reader reader, String notice, Writer writer) throws IOException {
        char[] buffer = new char[16 * 1024];
        StringBuilder head = new StringBuilder();
        int n;
        Matcher body = null;
        while (head.length() < HTML_SEARCH_CHARS && (n = reader.read(buffer)) > 0) {
            head.append(buffer, 0, n);
            Matcher m = BODY_TAG.matcher(head);
            if (m.find()) {
                body = m;
                break;
            }
        }
        if (body != null) {
            writer.write(META_CHARSET.matcher(head.substring(0, body.end())).replaceAll("$1UTF-8"));
            writer.write(notice);
            writer.append(head, body.end(), head.length());
        } else {
            writer.write(notice);
            writer.write(head.toString());
        }
    }

    /** Keeps encoders from closing the caller's stream. */
    static final class NonClosing extends FilterOutputStream {
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
