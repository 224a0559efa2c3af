package dev.todoke.tls;

import java.io.IOException;
import java.time.Duration;

/**
 * Fetches a domain's MTA-STS policy text. The HTTPS implementation fetches
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}; tests serve recorded texts. Thread-safe.
 */
interface MtaStsPolicyFetcher {

    /**
     * Returns the policy text of {@code domain}.
     *
     * @throws IOException when it cannot be fetched (network, certificate, HTTP status, size, timeout)
     */
    String fetch(String domain, Duration timeout) throws IOException;
}
