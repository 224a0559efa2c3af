package dev.todoke.virus;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The virus scan through clamd, under {@code todoke.clamav.} (docs/inspection.md).
 *
 * @param enabled whether every attachment is scanned before the reply; unset: off in dev mode, on in
 *     production mode ({@code todoke.mode})
 * @param host clamd's host (its {@code TCPAddr})
 * @param port clamd's TCP port ({@code TCPSocket})
 * @param timeout how long connecting, each write and clamd's answer (its scan of the file) may take
 * @param failOpen whether mail passes (audited) when clamd cannot be asked; false: 451, the upstream MTA
 *     retries
 * @param oversize what a file beyond clamd's limits ({@code StreamMaxLength}, {@code MaxFileSize},
 *     {@code MaxScanSize} ...) leads to: {@code refuse} (554 5.3.4) or {@code pass} (audited)
 */
@Validated
@ConfigurationProperties("todoke.clamav")
public record ClamavProperties(
        Boolean enabled,
        @NotBlank @DefaultValue("127.0.0.1") String host,
        @Min(1) @Max(65535) @DefaultValue("3310") int port,
        @NotNull @DefaultValue("60s") Duration timeout,
        @DefaultValue("false") boolean failOpen,
        @NotNull @DefaultValue("refuse") Oversize oversize) {

    /** What a file too large for clamd to scan leads to. */
    public enum Oversize {
        REFUSE,
        PASS
    }

    public ClamavProperties {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("todoke.clamav.timeout must be positive");
        }
    }

    /** Whether scanning is on: as set, or by default only in production mode. */
    boolean enabledIn(boolean production) {
        return enabled == null ? production : enabled;
    }
}
