package dev.todoke.mime;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the copy of a parsed message that external recipients get: every attachment removed, the notice
 * at the top of the text and HTML bodies, headers added and dropped as the {@link RewriteSpec} says.
 * Everything else is copied byte for byte from the spool file. Thread safe.
 *
 * <p>Signed mail loses its signature wrapper (the signed content becomes the body). Encrypted mail only
 * gets the header changes. A message whose only content is an attachment gets the notice as its body; a
 * message without a text or HTML body gets a new multipart/alternative notice part.
 */
public final class MessageRewriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final int HTML_SEARCH_CHARS = 256 * 1024;
    private static final Pattern BODY_TAG = Pattern.compile("<body\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern META_CHARSET =
            Pattern.compile("(<meta\\b[^>]*?charset\\s*=\\s*[\"']?)([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);

    private final RandomGenerator random;

    public MessageRewriter() {
        this(new SecureRandom());
    }

    /** With a given source of boundary strings (tests use a seeded one). */
    public MessageRewriter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Writes a copy of the message with every attachment removed and the notice inserted. */
    public void write(ParsedMessage message, RewriteSpec spec, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(new NonClosing(out), 64 * 1024);
        try (FileChannel channel = FileChannel.open(message.source(), StandardOpenOption.READ)) {
            new Writing(message, spec, buffered, channel).run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException("the message could not be rewritten", e);
        }
        buffered.flush();
    }

    private String newBoundary() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "=_todoke_" + HexFormat.of().formatHex(bytes);
    }

    /** One rewrite in progress. */
    private final class Writing {

        private final ParsedMessage message;
        private final RewriteSpec spec;
        private final OutputStream out;
        private final FileChannel channel;
        private final Part root;
        private final byte[] copyBuffer = new byte[64 * 1024];
        private Part textTarget;
        private Part htmlTarget;

        Writing(ParsedMessage message, RewriteSpec spec, OutputStream out, FileChannel channel) {
            this.message = message;
            this.spec = spec;
            this.out = out;
            this.channel = channel;
            this.root = message.root();
        }

        void run() throws IOException {
            if (message.security() == Security.ENCRYPTED) {
                writeFields(topFields(root, false, null), root);
                separator(root);
                copy(root.bodyStart, fileEnd());
                return;
            }
            Part body = unwrap(root);
            findTargets(body);
            boolean hasText = textTarget != null || htmlTarget != null;
            if (body != null && !body.isMultipart() && body.role != Part.Role.ATTACHMENT) {
                if (hasText) {
                    writeFields(topFields(body, false, replacementFor(body)), root);
                    separator(root);
                    writeBodyOf(body);
                } else {
                    wrapWithNotice(body);
                }
                return;
            }
            if (body == null || !survives(body)) {
                List<Object> fields = topFields(body == null ? root : body, true, null);
                String boundary = newBoundary();
                addMimeVersion(fields);
                fields.add("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"");
                writeFields(fields, root);
                write(CRLF);
                noticeAlternativeBody(boundary);
                return;
            }
            // a multipart that keeps some content
            if (hasText) {
                writeFields(topFields(body, false, null), root);
                separator(root);
                multipartBody(body, false);
            } else if (body.baseType().equals("multipart/mixed")) {
                writeFields(topFields(body, false, null), root);
                separator(root);
                multipartBody(body, true);
            } else {
                wrapWithNotice(body);
            }
        }

        /** Writes multipart/mixed: [notice alternative, the original entity]. */
        private void wrapWithNotice(Part body) throws IOException {
            List<Object> fields = topFields(body, true, null);
            String boundary = newBoundary();
            addMimeVersion(fields);
            fields.add("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
            writeFields(fields, root);
            write(CRLF);
            ascii("--" + boundary + "\r\n");
            noticeAlternativeEntity();
            ascii("\r\n--" + boundary + "\r\n");
            List<Object> inner = new ArrayList<>();
            for (HeaderField f : body.fields) {
                if (f.lowerName().startsWith("content-")) {
                    inner.add(f);
                }
            }
            if (body.opaque) {
                inner = replace(inner, "Content-Type: text/plain", null);
            }
            writeFields(inner, body);
            write(CRLF);
            if (body.isMultipart()) {
                multipartBody(body, false);
            } else {
                copy(body.bodyStart, body.bodyEnd);
            }
            ascii("\r\n--" + boundary + "--\r\n");
        }

        private long fileEnd() throws IOException {
            return channel.size();
        }

        /** The entity that becomes the body: the top, with signature wrappers removed. */
        private Part unwrap(Part part) {
            Part p = part;
            while (p != null && isSigned(p)) {
                p = p.children.isEmpty() ? null : p.children.get(0);
            }
            return p;
        }

        private boolean isSigned(Part p) {
            return p.isMultipart() && p.baseType().equals("multipart/signed");
        }

        private boolean survives(Part p) {
            if (isSigned(p)) {
                Part inner = unwrap(p);
                return inner != null && survives(inner);
            }
            if (p.isMultipart()) {
                for (Part child : p.children) {
                    if (survives(child)) {
                        return true;
                    }
                }
                return false;
            }
            return p.role != Part.Role.ATTACHMENT;
        }

        private void findTargets(Part p) {
            if (p == null) {
                return;
            }
            if (isSigned(p)) {
                findTargets(unwrap(p));
                return;
            }
            if (p.isMultipart()) {
                for (Part child : p.children) {
                    findTargets(child);
                }
                return;
            }
            if (p.role != Part.Role.BODY) {
                return;
            }
            if (textTarget == null && (p.baseType().equals("text/plain") || p.opaque)) {
                textTarget = p;
            } else if (htmlTarget == null && p.baseType().equals("text/html")) {
                htmlTarget = p;
            }
        }

        /**
         * The top-level header section: added headers, then the top's fields minus dropped ones. When the
         * body entity is not the top (signature removed), the top's Content-* fields give way to the body
         * entity's. {@code noContent} drops all Content-* fields (the caller writes new ones).
         */
        private List<Object> topFields(Part body, boolean noContent, String[] replacement) {
            List<Object> fields = new ArrayList<>(spec.headersToAdd());
            boolean unwrapped = body != root;
            for (HeaderField f : root.fields) {
                String lower = f.lowerName();
                if (spec.dropHeader().test(lower)) {
                    continue;
                }
                if (lower.startsWith("content-") && (noContent || unwrapped)) {
                    continue;
                }
                fields.add(f);
            }
            if (unwrapped && !noContent) {
                for (HeaderField f : body.fields) {
                    if (f.lowerName().startsWith("content-")) {
                        fields.add(f);
                    }
                }
            }
            if (replacement != null) {
                fields = replace(fields, replacement[0], replacement[1]);
                addMimeVersion(fields);
            }
            return fields;
        }

        private void addMimeVersion(List<Object> fields) {
            for (Object f : fields) {
                if (f instanceof HeaderField h && h.lowerName().equals("mime-version")) {
                    return;
                }
                if (f instanceof String s && s.regionMatches(true, 0, "mime-version:", 0, 13)) {
                    return;
                }
            }
            fields.add("MIME-Version: 1.0");
        }

        /** Puts new Content-Type (and Content-Transfer-Encoding) where the old Content-Type was. */
        private List<Object> replace(List<Object> fields, String contentType, String transferEncoding) {
            List<Object> result = new ArrayList<>(fields.size() + 2);
            boolean placed = false;
            for (Object f : fields) {
                if (f instanceof HeaderField h) {
                    String lower = h.lowerName();
                    if (lower.equals("content-type")) {
                        if (!placed) {
                            result.add(contentType);
                            if (transferEncoding != null) {
                                result.add(transferEncoding);
                            }
                            placed = true;
                        }
                        continue;
                    }
                    if (lower.equals("content-transfer-encoding") && transferEncoding != null) {
                        continue;
                    }
                }
                result.add(f);
            }
            if (!placed) {
                result.add(contentType);
                if (transferEncoding != null) {
                    result.add(transferEncoding);
                }
            }
            return result;
        }

        /** New Content-Type/CTE lines for a body entity that gets the notice; null for others. */
        private String[] replacementFor(Part p) {
            if (p != textTarget && p != htmlTarget) {
                if (p.opaque) {
                    return new String[] {"Content-Type: text/plain", null};
                }
                return null;
            }
            StringBuilder type = new StringBuilder("Content-Type: ")
                    .append(p == textTarget ? "text/plain" : "text/html")
                    .append("; charset=UTF-8");
            if (p == textTarget && !p.opaque) {
                for (Map.Entry<String, String> e : p.contentType.params().entrySet()) {
                    String name = e.getKey();
                    if (name.equals("format") || name.equals("delsp")) {
                        type.append("; ")
                                .append(name)
                                .append("=\"")
                                .append(safeParam(e.getValue()))
                                .append('"');
                    }
                }
            }
            return new String[] {type.toString(), "Content-Transfer-Encoding: base64"};
        }

        private String safeParam(String value) {
            return value.replaceAll("[^A-Za-z0-9._-]", "");
        }

        private void writeFields(List<Object> fields, Part owner) throws IOException {
            for (Object f : fields) {
                if (f instanceof HeaderField h) {
                    copyLine(h.start(), h.end());
                } else {
                    ascii(f + "\r\n");
                }
            }
        }

        /** The empty line after a header section, as it was (or CRLF when there was none). */
        private void separator(Part p) throws IOException {
            if (p.bodyStart > p.headerEnd) {
                copy(p.headerEnd, p.bodyStart);
            } else {
                write(CRLF);
            }
        }

        /** Writes a child entity (its delimiter already written). */
        private void entity(Part p) throws IOException {
            if (isSigned(p)) {
                Part inner = unwrap(p);
                if (inner != null) {
                    entity(inner);
                }
                return;
            }
            String[] replacement = replacementFor(p);
            if (replacement != null) {
                writeFields(replace(new ArrayList<>(p.fields), replacement[0], replacement[1]), p);
                separator(p);
                writeBodyOf(p);
            } else if (p.isMultipart()) {
                copyHeaderSection(p);
                multipartBody(p, false);
            } else {
                copyHeaderSection(p);
                copy(p.bodyStart, p.bodyEnd);
            }
        }

        private void copyHeaderSection(Part p) throws IOException {
            for (HeaderField f : p.fields) {
                copyLine(f.start(), f.end());
            }
            separator(p);
        }

        private void writeBodyOf(Part p) throws IOException {
            if (p == textTarget) {
                noticedBody(p, false);
            } else if (p == htmlTarget) {
                noticedBody(p, true);
            } else {
                copy(p.bodyStart, p.bodyEnd);
            }
        }

        private void multipartBody(Part m, boolean noticeFirst) throws IOException {
            String boundary = m.boundary;
            long preambleEnd = m.children.isEmpty()
                    ? (m.closeStart >= 0 ? m.closeStart : m.bodyEnd)
                    : m.children.get(0).delimiterStart;
            copy(m.bodyStart, preambleEnd);
            boolean wrote = preambleEnd > m.bodyStart;
            if (noticeFirst) {
                if (wrote) {
                    write(CRLF);
                }
                ascii("--" + boundary + "\r\n");
                noticeAlternativeEntity();
                wrote = true;
            }
            for (Part child : m.children) {
                if (!survives(child)) {
                    continue;
                }
                if (wrote && !startsWithBreak(child.delimiterStart, child.headerStart)) {
                    write(CRLF);
                }
                copy(child.delimiterStart, child.headerStart);
                if (!endsWithBreak(child.delimiterStart, child.headerStart)) {
                    write(CRLF); // the delimiter was the last line of the file
                }
                entity(child);
                wrote = true;
            }
            if (m.closeStart >= 0) {
                if (wrote && !startsWithBreak(m.closeStart, m.closeEnd)) {
                    write(CRLF);
                }
                copy(m.closeStart, m.bodyEnd);
            } else {
                ascii("\r\n--" + boundary + "--\r\n");
            }
        }

        private boolean startsWithBreak(long start, long end) throws IOException {
            if (end <= start) {
                return false;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, start);
            byte b = one.get(0);
            return b == '\r' || b == '\n';
        }

        private boolean endsWithBreak(long start, long end) throws IOException {
            return end > start && startsWithBreak(end - 1, end);
        }

        private void noticeAlternativeEntity() throws IOException {
            String boundary = newBoundary();
            ascii("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n");
            noticeAlternativeBody(boundary);
        }

        private void noticeAlternativeBody(String boundary) throws IOException {
            ascii("--" + boundary + "\r\n");
            ascii("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            base64(crlf(spec.noticeText()).getBytes(StandardCharsets.UTF_8));
            ascii("\r\n--" + boundary + "\r\n");
            ascii("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            String html = "<!DOCTYPE html>\r\n<html><head><meta charset=\"UTF-8\"></head><body>\r\n"
                    + crlf(spec.noticeHtml()) + "\r\n</body></html>\r\n";
            base64(html.getBytes(StandardCharsets.UTF_8));
            ascii("\r\n--" + boundary + "--\r\n");
        }

        private void base64(byte[] bytes) throws IOException {
            try (OutputStream encoder = Base64.getMimeEncoder().wrap(new NonClosing(out))) {
                encoder.write(bytes);
            }
        }

        /** A text or HTML body decoded with its charset, the notice put in, re-encoded as UTF-8 base64. */
        private void noticedBody(Part p, boolean html) throws IOException {
            Charset charset = bodyCharset(p);
            try (InputStream decoded = Decoding.openBody(message.source(), p);
                    Reader reader = new InputStreamReader(decoded, decoderFor(charset));
                    OutputStream encoder = Base64.getMimeEncoder().wrap(new NonClosing(out));
                    Writer writer = new OutputStreamWriter(encoder, StandardCharsets.UTF_8)) {
                char[] buffer = new char[16 * 1024];
                if (html) {
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
                    String notice = crlf(spec.noticeHtml());
                    if (body != null) {
                        String before = META_CHARSET
                                .matcher(head.substring(0, body.end()))
                                .replaceAll("$1UTF-8");
                        writer.write(before);
                        writer.write(notice);
                        writer.append(head, body.end(), head.length());
                    } else {
                        writer.write(notice);
                        writer.write(head.toString());
                    }
                } else {
                    String notice = crlf(spec.noticeText());
                    if (!notice.isEmpty()) {
                        writer.write(notice);
                        writer.write(notice.endsWith("\r\n") ? "\r\n" : "\r\n\r\n");
                    }
                }
                reader.transferTo(writer);
            }
            if (p.parent == null || p == unwrap(root)) {
                write(CRLF);
            }
        }

        private CharsetDecoder decoderFor(Charset charset) {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        /** The declared charset; for none or US-ASCII, UTF-8 when the bytes are valid UTF-8, else windows-1252. */
        private Charset bodyCharset(Part p) throws IOException {
            String declared = p.opaque ? null : p.charset();
            if (!Charsets.isAsciiOrAbsent(declared)) {
                Charset charset = Charsets.lookup(declared);
                if (charset != null) {
                    return charset;
                }
            }
            CharsetDecoder utf8 = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            try (InputStream decoded = Decoding.openBody(message.source(), p);
                    Reader reader = new InputStreamReader(decoded, utf8)) {
                CharBuffer buffer = CharBuffer.allocate(16 * 1024);
                while (reader.read(buffer) >= 0) {
                    buffer.clear();
                }
                return StandardCharsets.UTF_8;
            } catch (java.nio.charset.CharacterCodingException e) {
                return Charsets.WINDOWS_1252;
            }
        }

        private String crlf(String text) {
            return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        }

        private void ascii(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }

        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        /** Copies a header field; adds CRLF when the field was the last bytes of the file without one. */
        private void copyLine(long start, long end) throws IOException {
            copy(start, end);
            if (end > start && !endsWithBreak(start, end)) {
                write(CRLF);
            }
        }

        private void copy(long start, long end) throws IOException {
            long position = start;
            while (position < end) {
                int want = (int) Math.min(copyBuffer.length, end - position);
                int n = channel.read(ByteBuffer.wrap(copyBuffer, 0, want), position);
                if (n < 0) {
                    throw new IOException(
                            "the spool file " + message.source().getFileName() + " changed while rewriting");
                }
                out.write(copyBuffer, 0, n);
                position += n;
            }
        }
    }

    /** Keeps encoders from closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
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

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
