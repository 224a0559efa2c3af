package dev.todoke.relay;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The next hop, under {@code todoke.relay.}. With no {@code host}, mail goes to the dev outbox.
 *
 * @param host the next hop's host name or IP address (the Postfix re-injection listener, a smart host);
 *     empty for the dev outbox
 * @param port its SMTP port
 * @param starttls {@code opportunistic} (use STARTTLS when offered, certificate not checked),
 *     {@code required} (refuse to send without STARTTLS, certificate and host name checked) or {@code off}
 * @param trustStore PKCS12 trust store for {@code required}; empty for the JDK's default CAs
 * @param trustStorePassword its password
 * @param username AUTH user name; empty for no AUTH
 * @param password AUTH password
 * @param authWithoutTls allow AUTH over a connection without TLS (only for a next hop on loopback)
 * @param ehloName the name Todoke gives in EHLO; empty for this machine's host name
 * @param connectTimeout how long to wait for the TCP connection
 * @param commandTimeout how long to wait for each reply
 * @param dataTimeout how long to wait for the reply after the end of DATA
 */
@Validated
@ConfigurationProperties("todoke.relay")
public record RelayProperties(
        @DefaultValue("") String host,
        @DefaultValue("25") @Min(1) @Max(65535) int port,
        @NotNull @DefaultValue("opportunistic") StartTls starttls,
        Path trustStore,
        @DefaultValue("") String trustStorePassword,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("false") boolean authWithoutTls,
        @DefaultValue("") String ehloName,
        @NotNull @DefaultValue("30s") Duration connectTimeout,
        @NotNull @DefaultValue("5m") Duration commandTimeout,
        @NotNull @DefaultValue("10m") Duration dataTimeout) {

    /** When the next hop client uses STARTTLS. */
    public enum StartTls {
        OPPORTUNISTIC,
        REQUIRED,
        OFF
    }

    public RelayProperties {
        host = host.trim();
        if (!username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException("todoke.relay.password is required with todoke.relay.username");
        }
    }

    /** True when a next hop host is configured (otherwise the dev outbox is the next hop). */
    public boolean hasHost() {
        return !host.isEmpty();
    }
}
