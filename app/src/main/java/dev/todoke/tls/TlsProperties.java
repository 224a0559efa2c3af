package dev.todoke.tls;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the TLS check, under {@code todoke.tls.}. See docs/configuration.md.
 *
 * @param resolver the DNS resolver as {@code host:port} (or {@code host}, port 53); empty for the system's
 * @param dnsTimeout how long one DNS query may take
 * @param mxOverrides domain to {@code host:port} of its MX, skipping DNS (tests, split-horizon networks)
 * @param port the SMTP port probed on MX hosts found in DNS (25; change it only for tests)
 * @param maxMxHosts how many MX hosts, most preferred first, are probed
 * @param connectTimeout how long a TCP connect to an MX host may take
 * @param readTimeout how long the probe waits for any one reply (greeting, EHLO, STARTTLS, handshake)
 * @param checkTimeout the longest a whole check may take; must stay under 30 s
 * @param ehloName the name the probe gives in EHLO; empty for the host of {@code todoke.public-url}
 * @param trustStore a PKCS12 trust store for certificate checks; empty for the JVM's default
 * @param trustStorePassword the trust store's password
 * @param mtaStsTimeout how long fetching an MTA-STS policy over HTTPS may take
 * @param cacheTtl how long a report stays cached
 * @param failureTtl how long an {@code unreachable} or {@code no-mx} report stays cached
 * @param cacheSize how many domains the cache holds
 * @param policy what the gateway does with the verdicts
 */
@Validated
@ConfigurationProperties("todoke.tls")
record TlsProperties(
        String resolver,
        @NotNull @DefaultValue("5s") Duration dnsTimeout,
        @DefaultValue Map<String, String> mxOverrides,
        @Min(1) @Max(65535) @DefaultValue("25") int port,
        @Min(1) @Max(10) @DefaultValue("2") int maxMxHosts,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration readTimeout,
        @NotNull @DefaultValue("25s") Duration checkTimeout,
        String ehloName,
        Path trustStore,
        String trustStorePassword,
        @NotNull @DefaultValue("10s") Duration mtaStsTimeout,
        @NotNull @DefaultValue("6h") Duration cacheTtl,
        @NotNull @DefaultValue("10m") Duration failureTtl,
        @Min(1) @DefaultValue("10000") int cacheSize,
        @Valid @NotNull @DefaultValue Policy policy) {

    TlsProperties {
        requirePositive("dns-timeout", dnsTimeout);
        requirePositive("connect-timeout", connectTimeout);
        requirePositive("read-timeout", readTimeout);
        requirePositive("check-timeout", checkTimeout);
        requirePositive("mta-sts-timeout", mtaStsTimeout);
        requirePositive("cache-ttl", cacheTtl);
        requirePositive("failure-ttl", failureTtl);
        if (checkTimeout.compareTo(Duration.ofSeconds(30)) >= 0) {
            throw new IllegalArgumentException("todoke.tls.check-timeout must be under 30s, got " + checkTimeout);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        mxOverrides.forEach((domain, target) -> {
            HostAndPort.parse(target, 25, "todoke.tls.mx-overrides[" + domain + "]");
            overrides.put(Domains.normalize(domain), target.trim());
        });
        mxOverrides = Map.copyOf(overrides);
        if (resolver != null && resolver.isBlank()) {
            resolver = null;
        }
        if (resolver != null) {
            HostAndPort.parse(resolver, 53, "todoke.tls.resolver");
        }
        if (ehloName != null && ehloName.isBlank()) {
            ehloName = null;
        }
        if (trustStore != null && !Files.isReadable(trustStore)) {
            throw new IllegalArgumentException("todoke.tls.trust-store is not a readable file: " + trustStore);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("todoke.tls." + name + " must be positive, got " + d);
        }
    }

    /**
     * The TLS policy: the first rule whose domain pattern matches the recipient's domain applies; when
     * none does, the default.
     *
     * @param defaultAction {@code todoke.tls.policy.default}: link, keep-if-verified or refuse-if-no-tls
     * @param rules the rules, in order
     * @param budget how long the gateway waits for a check a rule needs before counting the verdict as
     *     unknown
     */
    record Policy(
            @Name("default") @NotNull @DefaultValue("link") PolicyAction defaultAction,
            @DefaultValue List<@Valid Rule> rules,
            @NotNull @DefaultValue("3s") Duration budget) {

        Policy {
            rules = List.copyOf(rules);
            if (budget.isNegative()) {
                throw new IllegalArgumentException("todoke.tls.policy.budget must not be negative, got " + budget);
            }
        }
    }

    /**
     * One policy rule.
     *
     * @param domain {@code example.com} (that domain only), {@code *.example.com} (its subdomains) or
     *     {@code *} (every domain)
     * @param action what to do for recipients at matching domains
     */
    record Rule(@NotBlank String domain, @NotNull PolicyAction action) {

        Rule {
            if (domain != null && !domain.isBlank()) {
                String d = domain.trim();
                if (!d.equals("*")) {
                    Domains.normalize(d.startsWith("*.") ? d.substring(2) : d, d.startsWith("*.") ? 1 : 2);
                }
                domain = Domains.host(d);
            }
        }

        boolean matches(String normalizedDomain) {
            if (domain.equals("*")) {
                return true;
            }
            if (domain.startsWith("*.")) {
                return normalizedDomain.endsWith(domain.substring(1));
            }
            return normalizedDomain.equals(domain);
        }
    }
}
