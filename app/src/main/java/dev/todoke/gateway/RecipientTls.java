package dev.todoke.gateway;

import java.time.Duration;
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

    /**
     * The domain's verdict code ({@code tls-verified}, {@code tls}, {@code no-tls}, {@code unreachable},
     * {@code no-mx}), waiting at most {@code budget} for a check (shared with one already running); empty
     * when still unknown then. Only for a rule that needs the verdict (a TLS approval rule): the caller's
     * SMTP reply waits this long.
     */
    default Optional<String> verdictWithin(String domain, Duration budget) {
        return Optional.empty();
    }
}
