package dev.todoke.tls;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The TLS checks that start when mail arrives, under {@code todoke.tls.background.} (docs/tls-check.md).
 *
 * @param enabled whether mail with external recipients starts checks of their domains (default true)
 * @param threads how many domains are checked at once, node-wide
 * @param queue how many more domains may wait; beyond that a domain is not checked for that mail
 */
@Validated
@ConfigurationProperties("todoke.tls.background")
record TlsBackgroundProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @Max(64) @DefaultValue("2") int threads,
        @Min(1) @Max(100_000) @DefaultValue("500") int queue) {}
