package dev.todoke.gateway;

import dev.todoke.mime.MimeLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the MIME parser, under {@code todoke.mime.}: a message over any of them is refused with
 * 554 5.6.0 and the limit named in the reply.
 *
 * @param maxDepth deepest multipart nesting (the top-level entity is depth 0)
 * @param maxParts most MIME entities in one message
 * @param maxHeaderBytes largest header section of one entity (all together may take four times this)
 * @param maxLineLength longest line in octets
 * @param inlineImageMaxSize largest image that stays in the outside copy because the HTML body shows it
 *     (a larger one becomes a link)
 */
@Validated
@ConfigurationProperties("todoke.mime")
record MimeProperties(
        @DefaultValue("20") int maxDepth,
        @DefaultValue("500") int maxParts,
        @DefaultValue("262144") int maxHeaderBytes,
        @DefaultValue("65536") int maxLineLength,
        @DefaultValue("512KB") DataSize inlineImageMaxSize) {

    MimeProperties {
        limits(maxDepth, maxParts, maxHeaderBytes, maxLineLength, inlineImageMaxSize);
    }

    MimeLimits limits() {
        return limits(maxDepth, maxParts, maxHeaderBytes, maxLineLength, inlineImageMaxSize);
    }

    private static MimeLimits limits(
            int maxDepth, int maxParts, int maxHeaderBytes, int maxLineLength, DataSize inlineImageMaxSize) {
        try {
            return new MimeLimits(maxDepth, maxParts, maxHeaderBytes, maxLineLength, inlineImageMaxSize.toBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("todoke.mime.*: " + e.getMessage(), e);
        }
    }
}
