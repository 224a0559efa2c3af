package dev.todoke.sender;

import java.util.Optional;

/**
 * The spot for the TLS checker on the sender's page: when a bean of this type exists, the page shows
 * its one-line verdict beside each recipient. Implementations must answer from a cache, quickly, and
 * never throw. Thread-safe.
 */
public interface TlsSummaries {

    /** A short verdict for the recipient domain (e.g. "TLS 1.3, certificate valid"), if known. */
    Optional<String> summaryFor(String domain);
}
