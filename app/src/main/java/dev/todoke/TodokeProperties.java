package dev.todoke;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every feature shares, under {@code todoke.}. Features keep their own settings in their own
 * records ({@code todoke.smtp.*}, {@code todoke.relay.*}, ...).
 *
 * @param publicUrl the base of every link Todoke writes into mail, e.g. {@code https://files.example.com}
 * @param dataDir where the embedded defaults keep their files (H2 database, blob store, keys, outbox)
 * @param internalDomains the organisation's own domains (subdomains included): recipients there get the
 *     message unchanged, and only mail from senders there is rewritten. Required: without it Todoke cannot
 *     tell outbound mail from inbound, so the application refuses to start.
 */
@Validated
@ConfigurationProperties("todoke")
public record TodokeProperties(
        @NotNull @DefaultValue("http://127.0.0.1:8080") URI publicUrl,
        @NotNull @DefaultValue("./data") Path dataDir,

        @NotEmpty(message = NO_INTERNAL_DOMAINS) @DefaultValue
        List<String> internalDomains) {

    static final String NO_INTERNAL_DOMAINS = "is empty: set your organisation's mail domains, for example"
            + " --todoke.internal-domains=example.com (without them Todoke cannot tell outbound mail from inbound)";

    public TodokeProperties {
        String url = publicUrl.toString();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("todoke.public-url must be an http(s) URL, got: " + url);
        }
        if (url.endsWith("/")) {
            publicUrl = URI.create(url.substring(0, url.length() - 1));
        }
        internalDomains = internalDomains.stream()
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .map(d -> d.toLowerCase(Locale.ROOT))
                .toList();
    }

    /**
     * True when a recipient is internal: its domain is one of the internal domains or a subdomain of one,
     * and its local part routes nowhere else ({@link MailAddresses#hasRoutedLocalPart}: such an address
     * is external whatever its domain, because a downstream relay may send it outside).
     */
    public boolean isInternal(String address) {
        return isInternalDomain(address) && !MailAddresses.hasRoutedLocalPart(address);
    }

    /** True when the address's domain is one of the internal domains or a subdomain of one. */
    public boolean isInternalDomain(String address) {
        String domain = MailAddresses.domainOf(address);
        return !domain.isEmpty()
                && internalDomains.stream().anyMatch(d -> domain.equals(d) || domain.endsWith("." + d));
    }

    /** An absolute link: {@code path} must start with a slash. */
    public String link(String path) {
        return publicUrl + path;
    }
}
