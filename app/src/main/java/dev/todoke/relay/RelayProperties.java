package dev.todoke.relay;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The next hop, under {@code todoke.relay.}. With no {@code host}, mail goes to the dev outbox.
 *
 * @param host the next hop's host name or IP address (the Postfix re-injection listener, a smart host);
 *     empty for the dev outbox
 * @param port its SMTP port
 * @param starttls {@code opportunistic} (use STARTTLS when offered), {@code required} (refuse to send
 *     without STARTTLS) or {@code off}
 * @param verifyCertificate check the next hop's certificate chain and host name whenever TLS is used;
 *     empty (the default) for "yes, unless the host is a loopback address and {@code starttls} is not
 *     {@code required}" (see {@link #verifiesCertificate()})
 * @param trustStore trust store with the CA (or the certificate) of the next hop, for a private CA;
 *     empty for the JDK's default CAs
 * @param trustStorePassword its password
 * @param trustStoreType its type, {@code PKCS12} (the default) or {@code JKS}
 * @param username AUTH user name; empty for no AUTH
 * @param password AUTH password
 * @param authWithoutTls allow AUTH over a connection without TLS (only for a next hop on loopback)
 * @param ehloName the name Todoke gives in EHLO; empty for this machine's host name
 * @param connectTimeout how long to wait for the TCP connection
 * @param commandTimeout how long to wait for each reply
 * @param dataTimeout how long to wait for the reply after the end of DATA
 * @param idleConnections how many open connections are kept between mails for the next one (checked
 *     with {@code RSET} before reuse); 0 closes each mail's connection after it
 * @param idleTimeout how long a kept connection may stay unused; an older one is closed, not reused
 */
@Validated
@ConfigurationProperties("todoke.relay")
public record RelayProperties(
        @DefaultValue("") String host,
        @DefaultValue("25") @Min(1) @Max(65535) int port,
        @NotNull @DefaultValue("opportunistic") StartTls starttls,
        Boolean verifyCertificate,
        Path trustStore,
        @DefaultValue("") String trustStorePassword,
        @NotBlank @DefaultValue("PKCS12") String trustStoreType,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("false") boolean authWithoutTls,
        @DefaultValue("") String ehloName,
        @NotNull @DefaultValue("30s") Duration connectTimeout,
        @NotNull @DefaultValue("5m") Duration commandTimeout,
        @NotNull @DefaultValue("10m") Duration dataTimeout,
        @DefaultValue("4") @Min(0) @Max(100) int idleConnections,
        @NotNull @DefaultValue("10s") Duration idleTimeout) {

    /** When the next hop client uses STARTTLS. */
    public enum StartTls {
        OPPORTUNISTIC,
        REQUIRED,
        OFF
    }

    /** Without a pool of idle connections (each mail opens its own), as before they existed. */
    public RelayProperties(
            String host,
            int port,
            StartTls starttls,
            Boolean verifyCertificate,
            Path trustStore,
            String trustStorePassword,
            String trustStoreType,
            String username,
            String password,
            boolean authWithoutTls,
            String ehloName,
            Duration connectTimeout,
            Duration commandTimeout,
            Duration dataTimeout) {
        this(
                host,
                port,
                starttls,
                verifyCertificate,
                trustStore,
                trustStorePassword,
                trustStoreType,
                username,
                password,
                authWithoutTls,
                ehloName,
                connectTimeout,
                commandTimeout,
                dataTimeout,
                0,
                Duration.ofSeconds(10));
    }

    @ConstructorBinding
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

    /**
     * True when the certificate chain and host name of the next hop are checked whenever TLS is used: as
     * {@code verify-certificate} says when it is set; otherwise always with {@code starttls=required}, and
     * with {@code opportunistic} for every host that is not a loopback address (a next hop on this
     * machine, such as Postfix's re-injection port, usually has a self-signed certificate or none). A
     * failed check is a temporary failure: the mail is never sent without TLS instead.
     */
    public boolean verifiesCertificate() {
        if (verifyCertificate != null) {
            return verifyCertificate;
        }
        return starttls == StartTls.REQUIRED || !isLoopback(host);
    }

    /**
     * True when AUTH credentials can only ever travel over TLS whose certificate and host name were
     * checked: {@code starttls=required} with {@link #verifiesCertificate()}. Vacuously true without
     * credentials.
     */
    public boolean credentialsProtected() {
        return username.isEmpty() || (starttls == StartTls.REQUIRED && verifiesCertificate());
    }

    /**
     * True for {@code localhost} and loopback IP literals ({@code 127.0.0.0/8}, {@code ::1}); a host name
     * other than {@code localhost} counts as remote (no DNS lookup is made).
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        String literal = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (!IP_LITERAL.matcher(literal).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*");
}
