package dev.todoke.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One MIME entity as found in the spool file: byte offsets of its header section and body, its header
 * fields, and for a multipart its children. Offsets are absolute file positions; ranges are half open.
 *
 * <pre>
 * [delimiterStart, headerStart)  the line break and "--boundary" line before it (children only)
 * [headerStart, headerEnd)       header fields with their line breaks
 * [headerEnd, bodyStart)         the empty line (may be empty when the section has none)
 * [bodyStart, bodyEnd)           body; for a multipart: preamble, children, close delimiter, epilogue
 * </pre>
 */
final class Part {

    /** How the gateway treats a leaf entity. */
    enum Role {
        /** Text kept in place; the first text/plain and text/html of these carry the notice. */
        BODY,
        /**
         * Kept in place unchanged: images the HTML shows, calendar invitations in an alternative, report
         * blocks, and the signature of multipart/signed (dropped with its wrapper).
         */
        KEPT,
        /** Removed and offered as a download. */
        ATTACHMENT,
        /** A multipart container. */
        CONTAINER
    }

    final Part parent;
    final int depth;
    final String path;
    final List<HeaderField> fields = new ArrayList<>();
    final List<Part> children = new ArrayList<>();

    long delimiterStart = -1;
    long headerStart;
    long headerEnd;
    long bodyStart;
    long bodyEnd;
    /** Start of the close delimiter (its leading line break included), or -1 when it is missing. */
    long closeStart = -1;
    /** End of the close delimiter line, or -1. */
    long closeEnd = -1;

    HeaderParams contentType = new HeaderParams("text/plain", java.util.Map.of());
    boolean contentTypeDeclared;
    HeaderParams disposition = HeaderParams.EMPTY;
    String transferEncoding = "7bit";
    String contentId = "";
    String boundary;
    /** A multipart whose boundary never appears: kept whole, like an opaque text body. */
    boolean opaque;
    /**
     * An opaque multipart whose body nevertheless holds MIME parts (readers disagree on what it contains):
     * it becomes one download, whole.
     */
    boolean ambiguous;
    /** A whole message that encloses one message, read as its one child (see {@link StructureScanner}). */
    boolean wrapper;
    /** The header section ended at a line that is not a field (there is no empty line before the body). */
    boolean headerCut;
    /** Longest body line in octets (leaves; for a multipart its preamble and epilogue). */
    long longestLine;
    /** For an HTML body: the Content-IDs its rendered {@code cid:} references name (lower case). */
    java.util.Set<String> renderedCids = java.util.Set.of();
    /** A text body's charset once resolved ({@link Decoding#textCharset}); null before. */
    java.nio.charset.Charset textCharset;

    Role role;
    String fileName;

    Part(Part parent, int depth, String path) {
        this.parent = parent;
        this.depth = depth;
        this.path = path;
    }

    String baseType() {
        return contentType.value();
    }

    boolean isMultipart() {
        return baseType().startsWith("multipart/") && !opaque;
    }

    /** A multipart or a {@link #wrapper}: an entity whose content is child entities. */
    boolean isContainer() {
        return isMultipart() || wrapper;
    }

    boolean isMessage() {
        return baseType().equals("message/rfc822") || baseType().equals("message/global");
    }

    String field(String lowerName) {
        for (HeaderField f : fields) {
            if (f.lowerName().equals(lowerName)) {
                return f.value();
            }
        }
        return null;
    }

    /** The raw name from Content-Disposition filename or Content-Type name, encoded-words decoded. */
    String declaredName() {
        String name = disposition.decodedParam("filename");
        if (name == null || name.isBlank()) {
            name = contentType.decodedParam("name");
        }
        return name == null || name.isBlank() ? null : name;
    }

    boolean isBinary() {
        return transferEncoding.equals("binary");
    }

    String charset() {
        String charset = contentType.param("charset");
        return charset == null ? null : charset.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return path + " " + baseType() + " " + role;
    }
}
