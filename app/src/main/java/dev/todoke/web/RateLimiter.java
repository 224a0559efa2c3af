package dev.todoke.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Per-key token buckets: each key may spend {@code perMinute} requests, refilled evenly over a minute.
 * Kept in this replica's memory only (a bounded cache of recently seen keys): with N replicas behind a
 * load balancer a client gets at most N times the limit. Thread-safe.
 */
final class RateLimiter {

    private final Clock clock;
    private final double capacity;
    private final double refillPerNano;
    private final Cache<String, Bucket> buckets;

    RateLimiter(Clock clock, int perMinute) {
        this.clock = clock;
        this.capacity = perMinute;
        this.refillPerNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterAccess(Duration.ofMinutes(2))
                .build();
    }

    /** Takes one request from the key's bucket; false when it is empty. */
    boolean tryAcquire(String key) {
        Bucket bucket = buckets.get(key, k -> new Bucket(capacity, nanos()));
        synchronized (bucket) {
            long now = nanos();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * refillPerNano);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
