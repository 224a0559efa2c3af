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
 */
final class CachingTlsChecker implements TlsChecker, AutoCloseable {

    private final Function<String, TlsReport> probe;
    private final ExecutorService executor;
    private final AsyncCache<String, TlsReport> cache;

    CachingTlsChecker(
            Function<String, TlsReport> probe,
            ExecutorService executor,
            Clock clock,
            Duration ttl,
            Duration failureTtl,
            int maxDomains) {
        this.probe = probe;
        this.executor = executor;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxDomains)
                .expireAfter(new FromCheckTime(clock, ttl, failureTtl))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(executor)
                .buildAsync();
    }

    @Override
    public TlsReport check(String domain, boolean refresh) {
        String d = Domains.normalize(domain);
        CompletableFuture<TlsReport> future;
        if (refresh) {
            future = start(d);
            cache.put(d, future);
        } else {
            future = cache.get(d, (key, ignored) -> start(key));
        }
        return future.join();
    }

    @Override
    public Optional<TlsReport> checkWithin(String domain, Duration budget) {
        String d = Domains.normalize(domain);
        CompletableFuture<TlsReport> future = cache.get(d, (key, ignored) -> start(key));
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

    @Override
    public Optional<TlsReport> cached(String domain) {
        CompletableFuture<TlsReport> future = cache.getIfPresent(Domains.normalize(domain));
        return future == null ? Optional.empty() : done(future);
    }

    private CompletableFuture<TlsReport> start(String domain) {
        return CompletableFuture.supplyAsync(() -> probe.apply(domain), executor);
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
     * (its completion callback may run later, which would stretch the lifetime).
     */
    private record FromCheckTime(Clock clock, Duration ttl, Duration failureTtl) implements Expiry<String, TlsReport> {

        private long remainingNanos(TlsReport report) {
            Duration lifetime = report.verdict().isFailure() ? failureTtl : ttl;
            Duration age = Duration.between(report.checkedAt(), clock.instant());
            return Math.max(0, lifetime.minus(age).toNanos());
        }

        @Override
        public long expireAfterCreate(String domain, TlsReport report, long currentTime) {
            return remainingNanos(report);
        }

        @Override
        public long expireAfterUpdate(String domain, TlsReport report, long currentTime, long currentDuration) {
            return remainingNanos(report);
        }

        @Override
        public long expireAfterRead(String domain, TlsReport report, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
