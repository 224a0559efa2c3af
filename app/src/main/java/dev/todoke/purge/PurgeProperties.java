package dev.todoke.purge;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The purger, under {@code todoke.purge.}.
 *
 * @param enabled run the purger on this replica (it is safe on several at once)
 * @param interval pause between two runs
 * @param grace how old a failed or unfinished message, or an orphan blob, must be before its blobs
 *     are deleted (longer than the longest SMTP transaction, so work in progress is never touched)
 * @param batchSize rows handled per query
 */
@Validated
@ConfigurationProperties("todoke.purge")
public record PurgeProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("5m") Duration interval,
        @NotNull @DefaultValue("1h") Duration grace,
        @DefaultValue("200") @Min(1) @Max(10_000) int batchSize) {

    public PurgeProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("todoke.purge.interval must be positive, got " + interval);
        }
        if (grace.compareTo(Duration.ofMinutes(15)) < 0) {
            throw new IllegalArgumentException("todoke.purge.grace must be at least 15m (an SMTP transaction may"
                    + " take 10 minutes), got " + grace);
        }
    }
}
