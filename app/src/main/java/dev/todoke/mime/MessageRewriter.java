package dev.todoke.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes the copy of a parsed message that external recipients get: every attachment removed, the notice
 * at the top of the text and HTML bodies, headers added and dropped as the {@link RewriteSpec} says.
 * Everything else is copied byte for byte from the spool file, except where a line would be longer than
 * 998 octets: such a header field is folded again, such a body is re-encoded as base64. Thread safe.
 *
 * <p>Signed mail loses its signature wrapper (the signed content becomes the body); a message that is one
 * encapsulated message becomes the encapsulated content. Encrypted mail only gets the header changes. A
 * message whose only content is an attachment gets the notice as its body; a message without a text or
 * HTML body gets a new multipart/alternative notice part. An HTML body that shows a part that became a
 * link gets a small placeholder naming the file instead.
 */
public final class MessageRewriter {

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
        BufferedOutputStream buffered = new BufferedOutputStream(new BodyEncoder.NonClosing(out), 64 * 1024);
        try (FileChannel channel = FileChannel.open(message.source(), StandardOpenOption.READ)) {
            new Writing(message, spec, new SpoolCopier(channel, buffered, message.source())).run();
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
        private final SpoolCopier copier;
        private final Part root;
        private final BodyEncoder bodies;
        private final Map<Part, String> newBoundaries = new java.util.HashMap<>();
        private Part textTarget;
        private Part htmlTarget;

        Writing(ParsedMessage message, RewriteSpec spec, SpoolCopier copier) {
            this.message = message;
            this.spec = spec;
            this.copier = copier;
            this.root = message.root();
            Map<String, String> linked = new LinkedHashMap<>();
            scan(root, linked);
            this.bodies = new BodyEncoder(message.source(), linked);
        }

        /** Collects the Content-IDs of linked parts, and gives multiparts with too long a boundary a new one. */
        private void scan(Part p, Map<String, String> linked) {
            if (p.role == Part.Role.ATTACHMENT && !p.contentId.isEmpty()) {
                linked.putIfAbsent(p.contentId.toLowerCase(Locale.ROOT), p.fileName);
            }
            if (p.isMultipart() && p.boundary != null && p.boundary.length() > SpoolCopier.MAX_LINE - 8) {
                newBoundaries.put(p, newBoundary());
            }
            for (Part child : p.children) {
                scan(child, linked);
            }
        }

        void run() throws IOException {
            if (message.security() == Security.ENCRYPTED) {
                writeFields(topFields(root, false, null));
                separator(root);
                copier.copy(root.bodyStart, copier.size());
                return;
            }
            Part body = unwrap(root);
            findTargets(body);
            boolean hasText = textTarget != null || htmlTarget != null;
            if (body != null && !body.isMultipart() && body.role != Part.Role.ATTACHMENT) {
                if (hasText) {
                    writeFields(topFields(body, false, replacementFor(body)));
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
                writeFields(fields);
                copier.crlf();
                noticeAlternativeBody(boundary);
                return;
            }
            // a multipart that keeps some content
            if (hasText || body.baseType().equals("multipart/mixed")) {
                writeFields(topFields(body, false, replacementFor(body)));
                separator(root);
                multipartBody(body, !hasText);
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
            writeFields(fields);
            copier.crlf();
            copier.ascii("--" + boundary + "\r\n");
            noticeAlternativeEntity();
            copier.ascii("\r\n--" + boundary + "\r\n");
            List<Object> inner = new ArrayList<>();
            for (HeaderField f : body.fields) {
                if (f.lowerName().startsWith("content-")) {
                    inner.add(f);
                }
            }
            String[] replacement = replacementFor(body);
            if (replacement != null) {
                inner = replace(inner, replacement[0], replacement[1]);
            }
            writeFields(inner);
            copier.crlf();
            if (body.isMultipart()) {
                multipartBody(body, false);
            } else {
                writeBodyOf(body);
            }
            copier.ascii("\r\n--" + boundary + "--\r\n");
        }

        /** The entity that becomes the body: the top, with signature and encapsulation wrappers removed. */
        private Part unwrap(Part part) {
            Part p = part;
            while (p != null && isWrapper(p)) {
                p = p.children.isEmpty() ? null : p.children.get(0);
            }
            return p;
        }

        private boolean isWrapper(Part p) {
            return p.wrapper || (p.isMultipart() && p.baseType().equals("multipart/signed"));
        }

        private boolean survives(Part p) {
            if (isWrapper(p)) {
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
            if (isWrapper(p)) {
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
         * body entity is not the top (a wrapper removed), the top's Content-* fields give way to the body
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

        /** Puts a new Content-Type and/or Content-Transfer-Encoding (null: keep the old one) in place. */
        private List<Object> replace(List<Object> fields, String contentType, String transferEncoding) {
            List<Object> result = new ArrayList<>(fields.size() + 2);
            boolean placed = false;
            for (Object f : fields) {
                if (f instanceof HeaderField h) {
                    String lower = h.lowerName();
                    boolean type = lower.equals("content-type") && contentType != null;
                    boolean cte = lower.equals("content-transfer-encoding") && transferEncoding != null;
                    if (type || cte) {
                        if (!placed) {
                            add(result, contentType, transferEncoding);
                            placed = true;
                        }
                        continue;
                    }
                }
                result.add(f);
            }
            if (!placed) {
                add(result, contentType, transferEncoding);
            }
            return result;
        }

        private void add(List<Object> fields, String contentType, String transferEncoding) {
            if (contentType != null) {
                fields.add(contentType);
            }
            if (transferEncoding != null) {
                fields.add(transferEncoding);
            }
        }

        /** New Content-Type/CTE lines (either may be null: kept) for an entity whose body changes; else null. */
        private String[] replacementFor(Part p) {
            if (p.isMultipart()) {
                return newBoundaries.containsKey(p)
                        ? new String[] {
                            "Content-Type: " + p.baseType() + "; boundary=\"" + newBoundaries.get(p) + "\"", null
                        }
                        : null;
            }
            if (p == textTarget || p == htmlTarget || placeholders(p)) {
                boolean text = p == textTarget;
                StringBuilder type = new StringBuilder("Content-Type: ")
                        .append(text ? "text/plain" : "text/html")
                        .append("; charset=UTF-8");
                if (text && !p.opaque) {
                    for (Map.Entry<String, String> e : p.contentType.params().entrySet()) {
                        String name = e.getKey();
                        if (name.equals("format") || name.equals("delsp")) {
                            type.append("; ").append(name).append("=\"");
                            type.append(e.getValue().replaceAll("[^A-Za-z0-9._-]", ""))
                                    .append('"');
                        }
                    }
                }
                return new String[] {type.toString(), "Content-Transfer-Encoding: base64"};
            }
            String type = p.opaque ? "Content-Type: text/plain" : null;
            String cte = tooLong(p) ? "Content-Transfer-Encoding: base64" : null;
            return type == null && cte == null ? null : new String[] {type, cte};
        }

        /** An HTML body that shows a part that became a link. */
        private boolean placeholders(Part p) {
            if (p.role != Part.Role.BODY || !p.baseType().equals("text/html")) {
                return false;
            }
            for (String id : p.renderedCids) {
                if (bodies.links(id)) {
                    return true;
                }
            }
            return false;
        }

        private boolean tooLong(Part p) {
            return p.longestLine > SpoolCopier.MAX_LINE;
        }

        private void writeFields(List<Object> fields) throws IOException {
            for (Object f : fields) {
                if (f instanceof HeaderField h) {
                    copier.field(h.start(), h.end());
                } else {
                    copier.ascii(f + "\r\n");
                }
            }
        }

        /** The empty line after a header section, as it was (or CRLF when there was none). */
        private void separator(Part p) throws IOException {
            if (p.bodyStart > p.headerEnd) {
                copier.copy(p.headerEnd, p.bodyStart);
            } else {
                copier.crlf();
            }
        }

        /** Writes a child entity (its delimiter already written). */
        private void entity(Part p) throws IOException {
            if (isWrapper(p)) {
                Part inner = unwrap(p);
                if (inner != null) {
                    entity(inner);
                }
                return;
            }
            String[] replacement = replacementFor(p);
            if (replacement != null) {
                writeFields(replace(new ArrayList<>(p.fields), replacement[0], replacement[1]));
                separator(p);
                if (p.isMultipart()) {
                    multipartBody(p, false);
                } else {
                    writeBodyOf(p);
                }
            } else if (p.isMultipart()) {
                copyHeaderSection(p);
                multipartBody(p, false);
            } else {
                copyHeaderSection(p);
                copier.copy(p.bodyStart, p.bodyEnd);
            }
        }

        private void copyHeaderSection(Part p) throws IOException {
            for (HeaderField f : p.fields) {
                copier.field(f.start(), f.end());
            }
            separator(p);
        }

        private void writeBodyOf(Part p) throws IOException {
            boolean encoded = true;
            if (p == textTarget) {
                bodies.text(p, false, crlf(spec.noticeText()), copier.out());
            } else if (p == htmlTarget) {
                bodies.text(p, true, crlf(spec.noticeHtml()), copier.out());
            } else if (placeholders(p)) {
                bodies.text(p, true, "", copier.out());
            } else if (tooLong(p)) {
                bodies.base64(p, copier.out());
            } else {
                copier.copy(p.bodyStart, p.bodyEnd);
                encoded = false;
            }
            if (encoded && (p.parent == null || p == unwrap(root))) {
                copier.crlf();
            }
        }

        private void multipartBody(Part m, boolean noticeFirst) throws IOException {
            String fresh = newBoundaries.get(m);
            String boundary = fresh == null ? m.boundary : fresh;
            boolean outerLinesFit = !tooLong(m) && fresh == null;
            long preambleEnd = m.children.isEmpty()
                    ? (m.closeStart >= 0 ? m.closeStart : m.bodyEnd)
                    : m.children.get(0).delimiterStart;
            if (outerLinesFit) {
                copier.copy(m.bodyStart, preambleEnd);
            }
            boolean wrote = outerLinesFit && preambleEnd > m.bodyStart;
            if (noticeFirst) {
                if (wrote) {
                    copier.crlf();
                }
                copier.ascii("--" + boundary + "\r\n");
                noticeAlternativeEntity();
                wrote = true;
            }
            for (Part child : m.children) {
                if (!survives(child)) {
                    continue;
                }
                if (fresh != null) {
                    copier.ascii((wrote ? "\r\n" : "") + "--" + fresh + "\r\n");
                } else {
                    if (wrote && !copier.startsWithBreak(child.delimiterStart, child.headerStart)) {
                        copier.crlf();
                    }
                    copier.copy(child.delimiterStart, child.headerStart);
                    if (!copier.endsWithBreak(child.delimiterStart, child.headerStart)) {
                        copier.crlf(); // the delimiter was the last line of the file
                    }
                }
                entity(child);
                wrote = true;
            }
            if (m.closeStart >= 0 && fresh == null) {
                if (wrote && !copier.startsWithBreak(m.closeStart, m.closeEnd)) {
                    copier.crlf();
                }
                if (outerLinesFit) {
                    copier.copy(m.closeStart, m.bodyEnd);
                } else {
                    copier.copy(m.closeStart, m.closeEnd); // the epilogue has lines too long to send
                    copier.crlf();
                }
            } else {
                copier.ascii("\r\n--" + boundary + "--\r\n");
            }
        }

        private void noticeAlternativeEntity() throws IOException {
            String boundary = newBoundary();
            copier.ascii("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n");
            noticeAlternativeBody(boundary);
        }

        private void noticeAlternativeBody(String boundary) throws IOException {
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

        private String crlf(String text) {
            return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        }
    }
}
