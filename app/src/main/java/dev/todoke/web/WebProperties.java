package dev.todoke.web;

import jakarta.validation.constraints.Min;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the web front (recipient and sender pages, JSON API), under {@code todoke.web.}.
 *
 * @param secret base64 of at least 32 random bytes: the server secret that keys passcode hashes and CSRF
 *     tokens. Every replica needs the same one. Empty: generated once into {@code ${todoke.data-dir}/keys}
 * @param rateLimitPerMinute requests per client IP per minute on pages and the API, shared by all replicas
 * @param zone the time zone the pages show times in and read the expiry form in; empty: the JVM's zone
 */
@Validated
@ConfigurationProperties("todoke.web")
public record WebProperties(
        @DefaultValue("") String secret,
        @DefaultValue("120") @Min(1) int rateLimitPerMinute,
        ZoneId zone) {

    public WebProperties {
        if (zone == null) {
            zone = ZoneId.systemDefault();
        }
    }
}
