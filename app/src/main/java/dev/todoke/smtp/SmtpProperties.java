package dev.todoke.smtp;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The SMTP listener, under {@code todoke.smtp.}.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one ({@link SmtpListener#port()} tells which)
 * @param hostName the name in the greeting and EHLO reply, and the generated certificate's CN; empty
 *     for this machine's host name
 * @param allowedNetworks client networks (CIDR, or single addresses) allowed to relay; everyone else is
 *     refused at connect
 * @param maxMessageSize the largest message accepted (advertised as SIZE)
 * @param maxRecipients the most RCPT TO per transaction
 * @param maxLineLength the longest line of message data, in octets without CRLF (RFC 5321 allows 998; the
 *     default 65536 accepts the longer lines some submitters send, and the copies Todoke writes keep 998)
 * @param maxConnections the most connections at once
 * @param idleTimeout how long a connection may stay silent before it is closed
 * @param tls STARTTLS settings
 * @param routedLocalPart what to do with a recipient whose local part holds {@code @}, {@code %} or
 *     {@code !} (quoted or not): {@code external} (the default) treats it as external whatever its domain,
 *     {@code refuse} refuses it at RCPT with 550
 */
@Validated
@ConfigurationProperties("todoke.smtp")
public record SmtpProperties(
        @NotNull @DefaultValue("127.0.0.1") String host,
        @DefaultValue("10025") @Min(0) @Max(65535) int port,
        @DefaultValue("") String hostName,
        @NotEmpty @DefaultValue({"127.0.0.0/8", "::1/128"}) List<String> allowedNetworks,
        @NotNull @DefaultValue("50MB") DataSize maxMessageSize,
        @DefaultValue("100") @Min(1) int maxRecipients,
        @DefaultValue("65536") @Min(78) int maxLineLength,
        @DefaultValue("100") @Min(1) int maxConnections,
        @NotNull @DefaultValue("5m") Duration idleTimeout,
        @NotNull @DefaultValue Tls tls,
        @NotNull @DefaultValue("external") RoutedLocalPart routedLocalPart) {

    public SmtpProperties {
        if (maxMessageSize.toBytes() < 1024 || maxMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "todoke.smtp.max-message-size must be between 1KB and 2GB, got " + maxMessageSize);
        }
        allowedNetworks = List.copyOf(allowedNetworks);
    }

    /** The choices of {@code todoke.smtp.routed-local-part}. */
    public enum RoutedLocalPart {
        /** Accept the recipient and treat it as external (it gets links, never the original). */
        EXTERNAL,
        /** Refuse the recipient at RCPT with 550 5.1.3. */
        REFUSE
    }

    /**
     * STARTTLS.
     *
     * @param enabled offer STARTTLS
     * @param keyStore a PKCS12 key store with the certificate and key; empty to generate a self-signed
     *     one on first start into {@code ${todoke.data-dir}/tls/}
     * @param keyStorePassword its password
     */
    public record Tls(
            @DefaultValue("true") boolean enabled,
            Path keyStore,
            @DefaultValue("") String keyStorePassword) {}
}
