package dev.todoke.gateway;

import java.util.Collection;
import java.util.Optional;

/**
 * The TLS check as the mail path sees it (implemented by the {@code tls} feature): start checks of
 * recipient domains in the background, and tell what is known about a domain now. Neither call waits for
 * the network: the SMTP reply never waits for a check started here. Thread-safe; never throws.
 */
public interface RecipientTls {

    /** Knows nothing and checks nothing. */
    RecipientTls NONE = new RecipientTls() {
        @Override
        public void startChecks(Collection<String> domains) {
            // nothing to check with
        }

        @Override
        public Optional<String> knownVerdict(String domain) {
            return Optional.empty();
        }
    };

    /**
     * Starts a background check of each domain that has no fresh verdict yet; returns at once. A domain
     * already being checked, or a queue that is full, starts nothing.
     */
    void startChecks(Collection<String> domains);

    /** The domain's verdict in plain words (Japanese / English) if one is known now; never probes. */
    Optional<String> knownVerdict(String domain);
}
