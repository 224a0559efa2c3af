package dev.todoke.purge;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long personal data is kept, under {@code todoke.retention.}.
 *
 * @param afterExpiry how long after a message's expiry its rows (message metadata, file names, the
 *     recipients' addresses, downloads) are deleted, and audit events older than that go with them (as
 *     an oldest-first prefix, see {@link Retention}); {@code 0} deletes them at the first purger run after
 *     the files are gone
 */
@Validated
@ConfigurationProperties("todoke.retention")
public record RetentionProperties(
        @NotNull @DefaultValue("90d") Duration afterExpiry) {

    public RetentionProperties {
        if (afterExpiry.isNegative()) {
            throw new IllegalArgumentException(
                    "todoke.retention.after-expiry must not be negative, got " + afterExpiry);
        }
    }
}
