package dev.todoke.mime;

/**
 * Limits the parser enforces; a message over any of them is refused with {@link MimeRejectedException}.
 *
 * @param maxDepth deepest multipart nesting (the top-level entity is depth 0)
 * @param maxParts most MIME entities in one message, the top-level entity included
 * @param maxHeaderBytes largest header section of one entity; all header sections together may take
 *     four times this
 * @param maxLineLength longest line in octets, line break excluded (not checked inside parts whose
 *     Content-Transfer-Encoding is binary, which have no lines)
 */
public record MimeLimits(int maxDepth, int maxParts, int maxHeaderBytes, int maxLineLength) {

    public MimeLimits {
        if (maxDepth < 1 || maxParts < 1 || maxHeaderBytes < 1024 || maxLineLength < 998) {
            throw new IllegalArgumentException("MIME limits too small: depth >= 1, parts >= 1, header bytes >= 1024,"
                    + " line length >= 998 (RFC 5322)");
        }
    }

    /** Depth 20, 500 parts, 256 KiB per header section, 64 KiB per line. */
    public static MimeLimits defaults() {
        return new MimeLimits(20, 500, 256 * 1024, 64 * 1024);
    }

    /** Budget for all header sections of one message together. */
    long maxTotalHeaderBytes() {
        return 4L * maxHeaderBytes;
    }
}
