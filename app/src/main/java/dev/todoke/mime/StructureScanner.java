package dev.todoke.mime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One pass over the spool file that builds the {@link Part} tree with byte offsets. Only header sections
 * and the current line's prefix are held in memory. Not thread safe; one instance per parse.
 */
final class StructureScanner extends LineCursor {

    private int parts;
    private long headerBytesTotal;

    private StructureScanner(LineReader in, MimeLimits limits) {
        super(in, limits);
    }

    static Part scan(Path file, MimeLimits limits) throws IOException, MimeRejectedException {
        // a line's prefix held in memory: whole header lines, and enough for any boundary line
        int capture = (int) Math.min(
                16L * 1024 * 1024,
                Math.max(
                        ContentFields.MAX_BOUNDARY + 64L,
                        Math.min(limits.maxLineLength(), limits.maxHeaderBytes()) + 1L));
        try (LineReader reader = new LineReader(file, capture)) {
            StructureScanner scanner = new StructureScanner(reader, limits);
            Part root = new Part(null, 0, "0");
            scanner.entity(root);
            return root;
        }
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
        ContentFields.interpret(part, boundaries);
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
                ContentFields.finishField(part, fieldName, fieldStart, position, value);
                part.headerEnd = part.bodyStart = part.bodyEnd = position;
                endOfFile();
                ContentFields.interpret(part, boundaries);
                return false;
            }
            if (matchBoundary(-1)) {
                long end = Math.max(part.headerStart, hitStart);
                ContentFields.finishField(part, fieldName, fieldStart, Math.max(fieldStart, end), value);
                part.headerEnd = part.bodyStart = part.bodyEnd = end;
                ContentFields.interpret(part, boundaries);
                return false;
            }
            if (in.contentLength() == 0) {
                ContentFields.finishField(part, fieldName, fieldStart, in.lineStart(), value);
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
            if (first == ' ' || first == '\t') {
                if (fieldName != null) {
                    value.append(line);
                } // else: a continuation before any field belongs to none and is ignored, as readers do
                continue;
            }
            if (!ContentFields.isField(line)) {
                // not a header field: like RFC 5322 readers, the body starts on this line
                ContentFields.finishField(part, fieldName, fieldStart, in.lineStart(), value);
                part.headerEnd = part.bodyStart = in.lineStart();
                part.headerCut = true;
                replay = true;
                position = in.lineStart();
                return true;
            }
            ContentFields.finishField(part, fieldName, fieldStart, in.lineStart(), value);
            fieldStart = in.lineStart() + skip;
            int colon = line.indexOf(':');
            fieldName = colon < 0 ? "" : line.substring(0, colon).trim();
            value.setLength(0);
            value.append(colon < 0 ? line : line.substring(colon + 1));
        }
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
            } else {
                // the lines that cannot be delimiters (base64 has no '-'), in bulk: a large attachment's body
                // is nearly all of them
                part.longestLine = Math.max(part.longestLine, skipLinesWithoutDash(!binary));
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
