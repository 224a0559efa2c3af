package dev.todoke.tls;

import dev.todoke.gateway.RecipientTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS checks that mail starts (ADR 0120): a bounded pool ({@code todoke.tls.background.threads}
 * workers, a queue of {@code queue} domains) runs {@link TlsChecker#check} for each recipient domain, so
 * the report lands in the near cache and the shared store (the database) where the receipt, the hold mail
 * and every replica's sender page read it. A domain waiting or being checked on this node is not queued
 * again; one with a fresh report (here or in the database) costs the worker a lookup, no probe. A full
 * queue drops the domain (counted in {@code todoke.tls.background.dropped}); the next mail tries again.
 * Thread-safe; never blocks the caller and never throws.
 */
final class BackgroundTlsChecks implements RecipientTls, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTlsChecks.class);

    private final TlsChecker checker;
    private final boolean enabled;
    private final ThreadPoolExecutor pool;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Counter dropped;

    BackgroundTlsChecks(TlsChecker checker, TlsBackgroundProperties properties, MeterRegistry registry) {
        this.checker = checker;
        this.enabled = properties.enabled();
        this.pool = new ThreadPoolExecutor(
                properties.threads(),
                properties.threads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.queue()),
                Thread.ofPlatform().daemon().name("tls-background-", 0).factory());
        this.pool.allowCoreThreadTimeOut(true);
        this.dropped = Counter.builder("todoke.tls.background.dropped")
                .description("Recipient domains not checked in the background because the queue was full")
                .register(registry);
    }

    @Override
    public void startChecks(Collection<String> domains) {
        if (!enabled) {
            return;
        }
        for (String domain : domains) {
            String d;
            try {
                d = Domains.normalize(domain);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!inFlight.add(d)) {
                continue;
            }
            try {
                pool.execute(() -> check(d));
            } catch (RejectedExecutionException e) {
                inFlight.remove(d);
                dropped.increment();
                log.debug("TLS background queue full (or shut down): {} not checked now", d);
            }
        }
    }

    private void check(String domain) {
        try {
            checker.check(domain, false);
        } catch (RuntimeException e) {
            log.warn("Background TLS check of {} failed", domain, e);
        } finally {
            inFlight.remove(domain);
        }
    }

    @Override
    public Optional<String> knownVerdict(String domain) {
        try {
            return checker.cached(domain).map(r -> plainWords(r.verdict()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> verdictWithin(String domain, Duration budget) {
        try {
            return checker.checkWithin(domain, budget).map(r -> r.verdict().code());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The verdict in plain words, Japanese then English, as the receipt and the sender page show it. */
    static String plainWords(TlsReport.Verdict verdict) {
        return verdict.plainWords(Locale.JAPANESE) + " / " + verdict.plainWords(Locale.ENGLISH);
    }

    /** Whether a domain is waiting or being checked on this node (for tests). */
    boolean isChecking(String domain) {
        return inFlight.contains(Domains.normalize(domain));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
