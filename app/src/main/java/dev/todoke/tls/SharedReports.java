package dev.todoke.tls;

import java.util.Optional;

/**
 * Where TLS reports are shared between replicas ({@link TlsVerdictStore}, the database). Implementations
 * never throw: a failure counts as nothing stored. Thread-safe.
 */
interface SharedReports {

    /** Shares nothing: each replica checks on its own. */
    SharedReports NONE = new SharedReports() {
        @Override
        public Optional<TlsReport> find(String domain) {
            return Optional.empty();
        }

        @Override
        public void save(TlsReport report) {
            // nothing to share with
        }
    };

    /** The stored report of a normalised domain, however old. */
    Optional<TlsReport> find(String domain);

    /** Stores a report unless a newer one is stored. */
    void save(TlsReport report);
}
