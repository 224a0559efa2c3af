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
 * @param maxInlineImageBytes largest decoded image that stays in the outside copy because the HTML body
 *     shows it; a larger one becomes a link (0: every image becomes a link)
 */
public record MimeLimits(int maxDepth, int maxParts, int maxHeaderBytes, int maxLineLength, long maxInlineImageBytes) {

    /** The default inline image limit: 512 KiB. */
    public static final long DEFAULT_INLINE_IMAGE_BYTES = 512 * 1024;

    public MimeLimits {
        if (maxDepth < 1 || maxParts < 1 || maxHeaderBytes < 1 || maxLineLength < 1 || maxInlineImageBytes < 0) {
            throw new IllegalArgumentException("MIME limits must be positive: " + maxDepth + ", " + maxParts + ", "
                    + maxHeaderBytes + ", " + maxLineLength + ", " + maxInlineImageBytes);
        }
    }

    /** The given limits with the default inline image limit. */
    public MimeLimits(int maxDepth, int maxParts, int maxHeaderBytes, int maxLineLength) {
        this(maxDepth, maxParts, maxHeaderBytes, maxLineLength, DEFAULT_INLINE_IMAGE_BYTES);
    }

    /** Depth 20, 500 parts, 256 KiB per header section, 64 KiB per line, inline images up to 512 KiB. */
    public static MimeLimits defaults() {
        return new MimeLimits(20, 500, 256 * 1024, 64 * 1024, DEFAULT_INLINE_IMAGE_BYTES);
    }

    /** The same limits with another inline image limit. */
    public MimeLimits withMaxInlineImageBytes(long bytes) {
        return new MimeLimits(maxDepth, maxParts, maxHeaderBytes, maxLineLength, bytes);
    }

    /** Budget for all header sections of one message together. */
    long maxTotalHeaderBytes() {
        return 4L * maxHeaderBytes;
    }
}
