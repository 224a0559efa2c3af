package dev.todoke.tls;

import java.time.Duration;
import java.util.Optional;

/**
 * Checks whether a recipient domain's mail servers receive mail encrypted: MX lookup, an SMTP probe
 * with STARTTLS on each preferred MX host, MTA-STS and DANE. Results are cached per domain (failures for
 * a shorter time) and shared by every caller; concurrent calls for one domain share one probe.
 *
 * <p>Thread-safe. Never throws for network trouble: what went wrong is part of the report (verdict
 * {@code unreachable}). A whole check ends within {@code todoke.tls.check-timeout} (25 s by default).
 */
public interface TlsChecker {

    /**
     * Returns the report for {@code domain}, waiting for a probe if none is cached.
     *
     * @param domain a domain name (IDNs allowed); case and a trailing dot do not matter
     * @param refresh true to ignore the cached report and probe again (the new report replaces it)
     * @throws IllegalArgumentException if {@code domain} is not a valid domain name
     */
    TlsReport check(String domain, boolean refresh);

    /**
     * Returns the report for {@code domain} if it is cached or a probe finishes within {@code budget};
     * never blocks longer than the budget. A probe that does not finish in time goes on in the background
     * and fills the cache for later calls. Empty means unknown: the caller makes no TLS claim.
     *
     * @throws IllegalArgumentException if {@code domain} is not a valid domain name
     */
    Optional<TlsReport> checkWithin(String domain, Duration budget);

    /** Returns the cached report for {@code domain}, if any, without starting a probe. */
    Optional<TlsReport> cached(String domain);
}
