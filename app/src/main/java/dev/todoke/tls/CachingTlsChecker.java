package dev.todoke.tls;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@link TlsChecker}: runs checks on virtual threads and caches reports per domain with Caffeine,
 * failures ({@code unreachable}, {@code no-mx}) for a shorter time. Concurrent calls for one domain share
 * one check; a check abandoned by a caller whose budget ran out still completes and fills the cache.
 *
 * <p>Behind the in-memory cache (a near cache) are the {@link SharedReports} of every replica (the
 * database, ADR 0120): a check first looks there and probes only when no fresh report is stored, and every
 * probe's report is stored. {@link #cached} reads the shared store when this replica knows nothing fresh.
 */
final class CachingTlsChecker implements TlsChecker, AutoCloseable {

    private final Function<String, TlsReport> probe;
    private final ExecutorService executor;
    private final AsyncCache<String, TlsReport> cache;
    private final FromCheckTime lifetime;
    private final SharedReports shared;

    CachingTlsChecker(
            Function<String, TlsReport> probe,
            ExecutorService executor,
            Clock clock,
            Duration ttl,
            Duration failureTtl,
            int maxDomains) {
        this(probe, executor, clock, ttl, failureTtl, maxDomains, SharedReports.NONE);
    }

    CachingTlsChecker(
            Function<String, TlsReport> probe,
            ExecutorService executor,
            Clock clock,
            Duration ttl,
            Duration failureTtl,
            int maxDomains,
            SharedReports shared) {
        this.probe = probe;
        this.shared = shared;
        this.executor = executor;
        this.lifetime = new FromCheckTime(clock, ttl, failureTtl);
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxDomains)
                .expireAfter(lifetime)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(executor)
                .buildAsync();
    }

    @Override
    public TlsReport check(String domain, boolean refresh) {
        String d = Domains.normalize(domain);
        CompletableFuture<TlsReport> future;
        if (refresh) {
            future = CompletableFuture.supplyAsync(() -> probeAndShare(d), executor);
            cache.put(d, future);
        } else {
            future = fresh(d);
        }
        return future.join();
    }

    @Override
    public Optional<TlsReport> checkWithin(String domain, Duration budget) {
        String d = Domains.normalize(domain);
        CompletableFuture<TlsReport> future = fresh(d);
        if (budget.isNegative() || budget.isZero()) {
            return done(future);
        }
        try {
            return Optional.of(future.get(budget.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * This replica's fresh report, else a fresh one from the shared store (then kept in the near cache
     * unless a check of this replica is under way). Reads the database when the near cache has nothing
     * finished and fresh; never probes.
     */
    @Override
    public Optional<TlsReport> cached(String domain) {
        String d = Domains.normalize(domain);
        CompletableFuture<TlsReport> future = cache.getIfPresent(d);
        if (future != null && !isStale(future)) {
            Optional<TlsReport> near = done(future);
            if (near.isPresent()) {
                return near;
            }
        }
        Optional<TlsReport> stored = sharedFresh(d);
        stored.ifPresent(report -> cache.asMap()
                .compute(
                        d,
                        (key, current) -> current == null || isStale(current)
                                ? CompletableFuture.completedFuture(report)
                                : current));
        return stored;
    }

    /**
     * The cached check of a domain, or a new one when there is none or the cached one is stale. Staleness
     * is decided here, from the report's {@code checkedAt} and the clock, and not only by Caffeine's
     * expiry: Caffeine sets the expiry of an async entry in a completion callback that may run after a
     * caller has already seen the result, and until then the entry never expires.
     */
    private CompletableFuture<TlsReport> fresh(String domain) {
        return cache.asMap().compute(domain, (key, cached) -> cached == null || isStale(cached) ? start(key) : cached);
    }

    private boolean isStale(CompletableFuture<TlsReport> future) {
        if (!future.isDone()) {
            return false;
        }
        if (future.isCompletedExceptionally() || future.isCancelled()) {
            return true;
        }
        return lifetime.remainingNanos(future.join()) <= 0;
    }

    /** A check: a fresh report from the shared store, else a probe whose report is shared. */
    private CompletableFuture<TlsReport> start(String domain) {
        return CompletableFuture.supplyAsync(
                () -> sharedFresh(domain).orElseGet(() -> probeAndShare(domain)), executor);
    }

    private TlsReport probeAndShare(String domain) {
        TlsReport report = probe.apply(domain);
        shared.save(report);
        return report;
    }

    private Optional<TlsReport> sharedFresh(String domain) {
        return shared.find(domain).filter(report -> lifetime.remainingNanos(report) > 0);
    }

    private static Optional<TlsReport> done(CompletableFuture<TlsReport> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? Optional.of(future.join()) : Optional.empty();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * Expiry counted from the report's {@code checkedAt}, not from when Caffeine saw the future complete
     * (its completion callback may run later, which would stretch the lifetime). Caffeine uses it to free
     * memory; {@link #isStale} uses it to decide freshness on every read.
     */
    private record FromCheckTime(Clock clock, Duration ttl, Duration failureTtl) implements Expiry<String, TlsReport> {

        private long remainingNanos(TlsReport report) {
            return remainingNanos(report, TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }

        /**
         * The time left at {@code nowNanos} on the cache's ticker (the clock's milliseconds). Caffeine
         * passes the ticker value it adds the result to, so the entry expires at {@code checkedAt +
         * lifetime} exactly, even when the clock moves between Caffeine reading its ticker and calling
         * this (reading the clock here again made an entry expire a whole clock step early).
         */
        private long remainingNanos(TlsReport report, long nowNanos) {
            Duration lifetime = report.verdict().isFailure() ? failureTtl : ttl;
            long expiresAt = TimeUnit.MILLISECONDS.toNanos(report.checkedAt().toEpochMilli()) + lifetime.toNanos();
            return Math.max(0, expiresAt - nowNanos);
        }

        @Override
        public long expireAfterCreate(String domain, TlsReport report, long currentTime) {
            return remainingNanos(report, currentTime);
        }

        @Override
        public long expireAfterUpdate(String domain, TlsReport report, long currentTime, long currentDuration) {
            return remainingNanos(report, currentTime);
        }

        @Override
        public long expireAfterRead(String domain, TlsReport report, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
