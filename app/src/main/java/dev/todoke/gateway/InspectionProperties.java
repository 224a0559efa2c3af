package dev.todoke.gateway;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Looking inside the files, under {@code todoke.inspection.} (docs/inspection.md).
 *
 * @param encryptedFiles what a password-protected file (PPAP) leads to: {@code refuse} (554 5.7.1),
 *     {@code hold} (as {@code warn}, and the mail waits for approval), {@code warn} (default: the receipt names
 *     the files), {@code log} (audit and log only) or {@code off} (not looked at)
 * @param maxScanSize how much of one file (and of one file inside a ZIP) is read at most to find out
 * @param scanTimeout how long one file is looked at, at most
 */
@Validated
@ConfigurationProperties("todoke.inspection")
record InspectionProperties(
        @NotNull @DefaultValue("warn") Action encryptedFiles,
        @NotNull @DefaultValue("100MB") DataSize maxScanSize,
        @NotNull @DefaultValue("10s") Duration scanTimeout) {

    /** What a finding leads to. */
    enum Action {
        REFUSE,
        /** As {@link #WARN}, and the mail waits for approval ({@code HoldStep}). */
        HOLD,
        WARN,
        LOG,
        OFF
    }

    InspectionProperties {
        if (maxScanSize != null && maxScanSize.toBytes() <= 0) {
            throw new IllegalArgumentException("todoke.inspection.max-scan-size must be positive");
        }
        if (scanTimeout != null && (scanTimeout.isZero() || scanTimeout.isNegative())) {
            throw new IllegalArgumentException("todoke.inspection.scan-timeout must be positive");
        }
    }
}
