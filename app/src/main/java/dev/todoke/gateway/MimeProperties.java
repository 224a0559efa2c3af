package dev.todoke.gateway;

import dev.todoke.mime.MimeLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the MIME parser, under {@code todoke.mime.}: a message over any of them is refused with
 * 554 5.6.0 and the limit named in the reply.
 *
 * @param maxDepth deepest multipart nesting (the top-level entity is depth 0)
 * @param maxParts most MIME entities in one message
 * @param maxHeaderBytes largest header section of one entity (all together may take four times this)
 * @param maxLineLength longest line in octets
 */
@Validated
@ConfigurationProperties("todoke.mime")
record MimeProperties(
        @DefaultValue("20") int maxDepth,
        @DefaultValue("500") int maxParts,
        @DefaultValue("262144") int maxHeaderBytes,
        @DefaultValue("65536") int maxLineLength) {

    MimeProperties {
        limits(maxDepth, maxParts, maxHeaderBytes, maxLineLength);
    }

    MimeLimits limits() {
        return limits(maxDepth, maxParts, maxHeaderBytes, maxLineLength);
    }

    private static MimeLimits limits(int maxDepth, int maxParts, int maxHeaderBytes, int maxLineLength) {
        try {
            return new MimeLimits(maxDepth, maxParts, maxHeaderBytes, maxLineLength);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("todoke.mime.*: " + e.getMessage(), e);
        }
    }
}
