package dev.todoke.mime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One pass over the spool file that builds the {@link Part} tree with byte offsets. Only header sections
 * and the current line's prefix are held in memory. Not thread safe; one instance per parse.
 */
final class StructureScanner {

    private enum Hit {
        EOF,
        DELIMITER,
        CLOSE
    }

    /** RFC 2046 allows 70; some mailers write more (the copy gets a new one when a line would pass 998). */
    static final int MAX_BOUNDARY = 16 * 1024;

    private final LineReader in;
    private final MimeLimits limits;
    private final List<String> boundaries = new ArrayList<>();
    private int parts;
    private long headerBytesTotal;

    /** File offset just after the last consumed line. */
    private long position;
    /** What ended the most recent entity. */
    private Hit hit = Hit.EOF;
    /** Index in {@link #boundaries} of the boundary that ended it. */
    private int hitLevel = -1;
    /** Start of the delimiter that ended it (the line break before the boundary line included). */
    private long hitStart;
    /** Line break length of the previous line and where the current region began. */
    private int previousBreak;

    private long regionStart;
    /** The current line is read again by the next {@link #nextLine} (a header section ended on it). */
    private boolean replay;

    private StructureScanner(LineReader in, MimeLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    static Part scan(Path file, MimeLimits limits) throws IOException, MimeRejectedException {
        // a line's prefix held in memory: whole header lines, and enough for any boundary line
        int capture = (int) Math.min(
                16L * 1024 * 1024,
                Math.max(MAX_BOUNDARY + 64L, Math.min(limits.maxLineLength(), limits.maxHeaderBytes()) + 1L));
        try (LineReader reader = new LineReader(file, capture)) {
            StructureScanner scanner = new StructureScanner(reader, limits);
            Part root = new Part(null, 0, "0");
            scanner.entity(root);
            return root;
        }
    }

    private boolean nextLine(boolean lineLimit) throws IOException, MimeRejectedException {
        if (replay) {
            replay = false;
        } else {
            previousBreak = in.breakLength();
            if (!in.next()) {
                return false;
            }
        }
        position = in.lineEnd();
        if (lineLimit && in.contentLength() > limits.maxLineLength()) {
            throw new MimeRejectedException("The message has a line longer than " + limits.maxLineLength()
                    + " octets, more than this gateway accepts.");
        }
        return true;
    }

    /** Start of a delimiter on the current line: the previous line's break belongs to it. */
    private long delimiterStart() {
        long start = in.lineStart();
        return start > regionStart ? start - previousBreak : start;
    }

    /** Matches the current line against the active boundaries, innermost first; sets the hit fields. */
    private boolean matchBoundary(int outermostLevelExclusiveOf) {
        int length = in.capturedLength();
        byte[] line = in.captured();
        if (length < 3 || line[0] != '-' || line[1] != '-' || !in.complete()) {
            return false;
        }
        for (int level = boundaries.size() - 1; level >= 0; level--) {
            if (level == outermostLevelExclusiveOf) {
                continue;
            }
            byte[] b = boundaries.get(level).getBytes(StandardCharsets.ISO_8859_1);
            if (length < b.length + 2) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < b.length; i++) {
                if (line[i + 2] != b[i]) {
                    same = false;
                    break;
                }
            }
            if (!same) {
                continue;
            }
            int rest = b.length + 2;
            if (length >= rest + 2 && line[rest] == '-' && line[rest + 1] == '-') {
                setHit(Hit.CLOSE, level);
                return true;
            }
            boolean blank = true;
            for (int i = rest; i < length; i++) {
                if (line[i] != ' ' && line[i] != '\t') {
                    blank = false;
                    break;
                }
            }
            if (blank) {
                setHit(Hit.DELIMITER, level);
                return true;
            }
        }
        return false;
    }

    /** Whether the current line starts like a Content-* header field. */
    private boolean mimeField() {
        String start = new String(in.captured(), 0, Math.min(in.capturedLength(), 40), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return start.matches("content-[a-z-]+\\s*:.*");
    }

    private void setHit(Hit kind, int level) {
        hit = kind;
        hitLevel = level;
        hitStart = delimiterStart();
    }

    private void endOfFile() {
        hit = Hit.EOF;
        hitLevel = -1;
        hitStart = position;
    }

    /** Parses one entity starting at the current position; on return the hit fields say what ended it. */
    private void entity(Part part) throws IOException, MimeRejectedException {
        if (++parts > limits.maxParts()) {
            throw new MimeRejectedException(
                    "The message has more than " + limits.maxParts() + " MIME parts, more than this gateway accepts.");
        }
        part.headerStart = position;
        if (!headers(part)) {
            return;
        }
        interpret(part);
        regionStart = part.bodyStart;
        if (part.baseType().startsWith("multipart/")) {
            multipart(part);
        } else if (part.parent == null && encapsulates(part)) {
            wrapper(part);
        } else {
            leaf(part, part.isBinary());
        }
    }

    /**
     * A whole message that is one encapsulated message (message/rfc822, message/global, or the first
     * fragment of a message/partial, which starts with the enclosed message's header): what it encloses is
     * read as its one child, so that the files inside are found like in any other message.
     */
    private static boolean encapsulates(Part part) {
        if (part.isMessage()) {
            return true;
        }
        return part.baseType().equals("message/partial") && "1".equals(part.contentType.param("number"));
    }

    private void wrapper(Part part) throws IOException, MimeRejectedException {
        Part child = new Part(part, part.depth + 1, part.path + ".0");
        part.wrapper = true;
        part.children.add(child);
        entity(child);
        if (child.bodyEnd < child.bodyStart) {
            child.bodyEnd = child.bodyStart;
        }
        part.bodyEnd = Math.max(part.bodyStart, child.bodyEnd);
    }

    /** Reads the header section; false when a boundary or end of file ended the entity inside it. */
    private boolean headers(Part part) throws IOException, MimeRejectedException {
        regionStart = part.headerStart;
        long sectionBytes = 0;
        long fieldStart = -1;
        String fieldName = null;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (!nextLine(true)) {
                finishField(part, fieldName, fieldStart, position, value);
                part.headerEnd = part.bodyStart = part.bodyEnd = position;
                endOfFile();
                interpret(part);
                return false;
            }
            if (matchBoundary(-1)) {
                long end = Math.max(part.headerStart, hitStart);
                finishField(part, fieldName, fieldStart, Math.max(fieldStart, end), value);
                part.headerEnd = part.bodyStart = part.bodyEnd = end;
                interpret(part);
                return false;
            }
            if (in.contentLength() == 0) {
                finishField(part, fieldName, fieldStart, in.lineStart(), value);
                part.headerEnd = in.lineStart();
                part.bodyStart = in.lineEnd();
                return true;
            }
            sectionBytes += in.contentLength() + in.breakLength();
            headerBytesTotal += in.contentLength() + in.breakLength();
            if (sectionBytes > limits.maxHeaderBytes()) {
                throw new MimeRejectedException("The message has a header section larger than "
                        + limits.maxHeaderBytes() + " octets, more than this gateway accepts.");
            }
            if (headerBytesTotal > limits.maxTotalHeaderBytes()) {
                throw new MimeRejectedException("The message's MIME headers together are larger than "
                        + limits.maxTotalHeaderBytes() + " octets, more than this gateway accepts.");
            }
            int skip = part.parent == null && fieldName == null ? bom() : 0;
            String line = Charsets.decodeUndeclared(in.captured(), skip, in.capturedLength() - skip);
            char first = line.isEmpty() ? ' ' : line.charAt(0);
            if ((first == ' ' || first == '\t') && fieldName != null) {
                value.append(line);
                continue;
            }
            if (!isField(line)) {
                // not a header field: like RFC 5322 readers, the body starts on this line
                finishField(part, fieldName, fieldStart, in.lineStart(), value);
                part.headerEnd = part.bodyStart = in.lineStart();
                part.headerCut = true;
                replay = true;
                position = in.lineStart();
                return true;
            }
            finishField(part, fieldName, fieldStart, in.lineStart(), value);
            fieldStart = in.lineStart() + skip;
            int colon = line.indexOf(':');
            fieldName = colon < 0 ? "" : line.substring(0, colon).trim();
            value.setLength(0);
            value.append(colon < 0 ? line : line.substring(colon + 1));
        }
    }

    /** Length of a UTF-8 byte-order mark at the start of the current line (a saved file's artefact), or 0. */
    private int bom() {
        byte[] line = in.captured();
        return in.capturedLength() >= 3 && line[0] == (byte) 0xef && line[1] == (byte) 0xbb && line[2] == (byte) 0xbf
                ? 3
                : 0;
    }

    /** A header field line: a name of printable ASCII other than the colon, then a colon (RFC 5322 2.2). */
    static boolean isField(String line) {
        if (line.startsWith("From ")) {
            return true; // an mbox separator left in the header: tolerated as a field, as readers do
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return false;
    }

    private static void finishField(Part part, String name, long start, long end, StringBuilder value) {
        if (name != null) {
            part.fields.add(new HeaderField(name, start, end, value.toString().trim()));
        }
    }

    /** Reads Content-Type, Content-Disposition, Content-Transfer-Encoding and Content-ID. */
    private void interpret(Part part) throws MimeRejectedException {
        String type = part.field("content-type");
        boolean digest = part.parent != null && part.parent.baseType().equals("multipart/digest");
        if (type == null) {
            part.contentType = new HeaderParams(digest ? "message/rfc822" : "text/plain", java.util.Map.of());
        } else {
            HeaderParams parsed = HeaderParams.parse(type);
            part.contentTypeDeclared = true;
            String base = parsed.value();
            int slash = base.indexOf('/');
            if (slash <= 0 || slash == base.length() - 1 || base.indexOf(' ') >= 0) {
                // unreadable type: an attachment is the safe reading
                parsed = new HeaderParams("application/octet-stream", parsed.params());
            }
            part.contentType = parsed;
        }
        String disposition = part.field("content-disposition");
        part.disposition = disposition == null ? HeaderParams.EMPTY : HeaderParams.parse(disposition);
        String cte = part.field("content-transfer-encoding");
        if (cte != null) {
            String token = HeaderParams.parse(cte).value();
            part.transferEncoding = token.isEmpty() ? "7bit" : token;
        }
        String id = part.field("content-id");
        if (id != null) {
            part.contentId = normalizeId(id);
        }
        if (part.baseType().startsWith("multipart/")) {
            String boundary = part.contentType.param("boundary");
            if (boundary != null && boundary.length() > MAX_BOUNDARY) {
                throw new MimeRejectedException("A multipart boundary is longer than " + MAX_BOUNDARY
                        + " characters (RFC 2046 allows 70), more than this gateway accepts.");
            }
            if (boundary != null && !boundary.isEmpty()) {
                for (String active : boundaries) {
                    if (active.equals(boundary)) {
                        throw new MimeRejectedException(
                                "A nested multipart reuses the boundary of an enclosing one, so its parts are ambiguous.");
                    }
                }
                part.boundary = boundary;
            }
        }
    }

    static String normalizeId(String id) {
        String s = id.trim();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        if (s.endsWith(">")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.trim();
    }

    /** Scans a leaf body up to the next delimiter of an enclosing multipart or end of file. */
    private void leaf(Part part, boolean binary) throws IOException, MimeRejectedException {
        boolean firstBlock = part.headerCut;
        while (nextLine(!binary)) {
            if (matchBoundary(-1)) {
                part.bodyEnd = hitStart;
                return;
            }
            part.longestLine = Math.max(part.longestLine, in.contentLength());
            if (firstBlock) {
                if (in.contentLength() == 0) {
                    firstBlock = false;
                } else if (mimeField()) {
                    throw new MimeRejectedException("A header section holds a line that is not a header field,"
                            + " followed by MIME fields, so mail readers disagree on where its body starts.");
                }
            }
        }
        part.bodyEnd = position;
        endOfFile();
    }

    private void multipart(Part part) throws IOException, MimeRejectedException {
        if (part.depth >= limits.maxDepth()) {
            throw new MimeRejectedException("The message nests MIME parts deeper than " + limits.maxDepth()
                    + " levels, more than this gateway accepts.");
        }
        if (part.boundary == null) {
            opaque(part);
            return;
        }
        boundaries.add(part.boundary);
        int own = boundaries.size() - 1;
        try {
            // preamble
            boolean dashLine = false;
            boolean looksLikeParts = false;
            boolean blank = true;
            while (true) {
                if (!nextLine(true)) {
                    endOfFile();
                    break;
                }
                if (matchBoundary(-1)) {
                    break;
                }
                part.longestLine = Math.max(part.longestLine, in.contentLength());
                if (in.contentLength() > 0) {
                    String start = new String(
                                    in.captured(), 0, Math.min(in.capturedLength(), 20), StandardCharsets.ISO_8859_1)
                            .toLowerCase(Locale.ROOT);
                    if (blank && !start.isBlank()) {
                        blank = false;
                    }
                    if (dashLine && start.startsWith("content-")) {
                        looksLikeParts = true;
                    }
                    dashLine = start.startsWith("--");
                }
            }
            if (hit == Hit.EOF || hitLevel != own) {
                long end = hitStart;
                part.opaque = true;
                part.ambiguous = !blank && looksLikeParts;
                part.bodyEnd = end;
                return;
            }
            if (hit == Hit.CLOSE) {
                // close delimiter before any part: an empty multipart
                part.closeStart = hitStart;
                part.closeEnd = position;
                epilogue(part, own);
                return;
            }
            while (true) {
                long delimiter = hitStart;
                Part child = new Part(part, part.depth + 1, part.path + "." + part.children.size());
                child.delimiterStart = delimiter;
                part.children.add(child);
                entity(child);
                if (child.bodyEnd < child.bodyStart) {
                    child.bodyEnd = child.bodyStart;
                }
                if (hit == Hit.DELIMITER && hitLevel == own) {
                    regionStart = position;
                    continue;
                }
                if (hit == Hit.CLOSE && hitLevel == own) {
                    part.closeStart = hitStart;
                    part.closeEnd = position;
                    epilogue(part, own);
                    return;
                }
                // an enclosing boundary or end of file: the close delimiter is missing
                part.bodyEnd = hitStart;
                return;
            }
        } finally {
            boundaries.remove(own);
        }
    }

    private void opaque(Part part) throws IOException, MimeRejectedException {
        boolean dashLine = false;
        boolean looksLikeParts = false;
        while (true) {
            if (!nextLine(true)) {
                part.bodyEnd = position;
                endOfFile();
                break;
            }
            if (matchBoundary(-1)) {
                part.bodyEnd = hitStart;
                break;
            }
            part.longestLine = Math.max(part.longestLine, in.contentLength());
            if (in.contentLength() > 0) {
                String start = new String(
                                in.captured(), 0, Math.min(in.capturedLength(), 20), StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT);
                if (dashLine && start.startsWith("content-")) {
                    looksLikeParts = true;
                }
                dashLine = start.startsWith("--");
            }
        }
        part.opaque = true;
        part.ambiguous = looksLikeParts;
    }

    /** After the close delimiter: lines up to an enclosing boundary or end of file. */
    private void epilogue(Part part, int own) throws IOException, MimeRejectedException {
        regionStart = position;
        while (nextLine(true)) {
            if (matchBoundary(-1)) {
                if (hitLevel == own) {
                    if (hit == Hit.DELIMITER) {
                        throw new MimeRejectedException("The message has MIME parts after a closing boundary,"
                                + " which mail readers interpret differently, so it cannot be processed safely.");
                    }
                    continue; // a repeated close delimiter: epilogue
                }
                part.bodyEnd = hitStart;
                return;
            }
            part.longestLine = Math.max(part.longestLine, in.contentLength());
        }
        part.bodyEnd = position;
        endOfFile();
    }
}
