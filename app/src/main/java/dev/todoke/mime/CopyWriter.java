package dev.todoke.mime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One rewrite in progress: walks the part tree and writes the copy (see {@link MessageRewriter} for what
 * changes). Not thread safe: one per {@link MessageRewriter#write} call.
 */
final class CopyWriter {

    private final ParsedMessage message;
    private final RewriteSpec spec;
    private final SpoolCopier copier;
    private final Part root;
    private final BodyEncoder bodies;
    private final Map<Part, String> newBoundaries = new java.util.HashMap<>();
    private final NoticeParts notices;
    private BodyEntities entities;

    private final Supplier<String> boundaries;

    CopyWriter(ParsedMessage message, RewriteSpec spec, SpoolCopier copier, Supplier<String> boundaries) {
        this.boundaries = boundaries;
        this.message = message;
        this.spec = spec;
        this.copier = copier;
        this.root = message.root();
        Map<String, String> linked = new LinkedHashMap<>();
        scan(root, linked);
        this.bodies = new BodyEncoder(message.source(), linked);
        this.notices = new NoticeParts(copier, spec, boundaries);
    }

    /** Collects the Content-IDs of linked parts, and gives multiparts with too long a boundary a new one. */
    private void scan(Part p, Map<String, String> linked) {
        if (p.role == Part.Role.ATTACHMENT && !p.contentId.isEmpty()) {
            linked.putIfAbsent(p.contentId.toLowerCase(Locale.ROOT), p.fileName);
        }
        if (p.isMultipart() && p.boundary != null && p.boundary.length() > SpoolCopier.MAX_LINE - 8) {
            newBoundaries.put(p, boundaries.get());
        }
        for (Part child : p.children) {
            scan(child, linked);
        }
    }

    void run() throws IOException {
        if (message.security() == Security.ENCRYPTED) {
            writeFields(top(HeaderEdits.topFields(root, spec, root, false, null)));
            separator(root);
            copier.copy(root.bodyStart, copier.size());
            return;
        }
        Part body = BodyEntities.unwrap(root);
        entities = new BodyEntities(body);
        boolean hasText = entities.textTarget != null || entities.htmlTarget != null;
        if (body != null && !body.isMultipart() && body.role != Part.Role.ATTACHMENT) {
            if (hasText) {
                writeFields(top(HeaderEdits.topFields(root, spec, body, false, replacementFor(body))));
                separator(root);
                writeBodyOf(body);
            } else {
                wrapWithNotice(body);
            }
            return;
        }
        if (body == null || !BodyEntities.survives(body)) {
            List<Object> fields = top(HeaderEdits.topFields(root, spec, body == null ? root : body, true, null));
            String boundary = boundaries.get();
            HeaderEdits.addMimeVersion(fields);
            fields.add("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"");
            writeFields(fields);
            copier.crlf();
            notices.noticeAlternativeBody(boundary);
            return;
        }
        // a multipart that keeps some content
        if (hasText || body.baseType().equals("multipart/mixed")) {
            writeFields(top(HeaderEdits.topFields(root, spec, body, false, replacementFor(body))));
            separator(root);
            multipartBody(body, !hasText);
        } else {
            wrapWithNotice(body);
        }
    }

    /** Writes multipart/mixed: [notice alternative, the original entity]. */
    private void wrapWithNotice(Part body) throws IOException {
        List<Object> fields = top(HeaderEdits.topFields(root, spec, body, true, null));
        String boundary = boundaries.get();
        HeaderEdits.addMimeVersion(fields);
        fields.add("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
        writeFields(fields);
        copier.crlf();
        copier.ascii("--" + boundary + "\r\n");
        notices.noticeAlternativeEntity();
        copier.ascii("\r\n--" + boundary + "\r\n");
        List<Object> inner = new ArrayList<>();
        for (HeaderField f : body.fields) {
            if (f.lowerName().startsWith("content-")) {
                inner.add(f);
            }
        }
        String[] replacement = replacementFor(body);
        if (replacement != null) {
            inner = HeaderEdits.replace(inner, replacement[0], replacement[1]);
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

    /** New Content-Type/CTE lines (either may be null: kept) for an entity whose body changes; else null. */
    private String[] replacementFor(Part p) {
        if (p.isMultipart()) {
            return newBoundaries.containsKey(p)
                    ? new String[] {
                        "Content-Type: " + p.baseType() + "; boundary=\"" + newBoundaries.get(p) + "\"", null
                    }
                    : null;
        }
        if (p == entities.textTarget || p == entities.htmlTarget || placeholders(p)) {
            boolean text = p == entities.textTarget;
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
        HeaderEdits.write(fields, copier);
    }

    /** The top-level fields with the address fields of a forced-BCC copy. */
    private List<Object> top(List<Object> fields) throws IOException {
        return HeaderEdits.addresses(fields, spec, copier);
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
        if (BodyEntities.isWrapper(p)) {
            Part inner = BodyEntities.unwrap(p);
            if (inner != null) {
                entity(inner);
            }
            return;
        }
        String[] replacement = replacementFor(p);
        if (replacement != null) {
            writeFields(HeaderEdits.replace(new ArrayList<>(p.fields), replacement[0], replacement[1]));
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
        if (p == entities.textTarget) {
            bodies.text(p, false, NoticeParts.crlf(spec.noticeText()), copier.out());
        } else if (p == entities.htmlTarget) {
            bodies.text(p, true, NoticeParts.crlf(spec.noticeHtml()), copier.out());
        } else if (placeholders(p)) {
            bodies.text(p, true, "", copier.out());
        } else if (tooLong(p)) {
            bodies.base64(p, copier.out());
        } else {
            copier.copy(p.bodyStart, p.bodyEnd);
            encoded = false;
        }
        if (encoded && (p.parent == null || p == BodyEntities.unwrap(root))) {
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
            notices.noticeAlternativeEntity();
            wrote = true;
        }
        for (Part child : m.children) {
            if (!BodyEntities.survives(child)) {
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
}
