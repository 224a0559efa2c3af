package dev.todoke.sender;

import java.time.Instant;
import java.util.Optional;

/**
 * The spot for the TLS checker on the sender's page and API: when a bean of this type exists, they show
 * what is known about each recipient's domain. Implementations must answer from a cache (the replica's
 * memory or the shared database), quickly, never start a check, and never throw. Thread-safe.
 */
public interface TlsSummaries {

    /**
     * What is known about a domain's TLS.
     *
     * @param verdict the verdict's code ({@code tls-verified}, {@code tls}, {@code no-tls}, {@code
     *     unreachable}, {@code no-mx})
     * @param summary the verdict in plain words, Japanese / English
     * @param checkedAt when the check finished
     */
    record Known(String verdict, String summary, Instant checkedAt) {}

    /** What is known about the recipient domain, if anything. */
    Optional<Known> knownFor(String domain);

    /** A short verdict for the recipient domain in plain words, if known. */
    default Optional<String> summaryFor(String domain) {
        return knownFor(domain).map(Known::summary);
    }
}
