package dev.todoke.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-key token buckets: each key may spend {@code capacity} tokens, refilled evenly over {@code period}
 * (the request limit: 120 a minute; admin sign-in failures: 10 in 10 minutes). The buckets live in the
 * database (table {@code rate_limit}), so every replica on one database spends from the same bucket
 * (docs/adr/0060). Taking a token is one conditional update, atomic under the row lock; a key seen for the
 * first time costs one insert more. Each limiter stores its keys under its own prefix, so limiters share
 * the table without sharing buckets.
 *
 * <p>Thread-safe. When the database cannot be reached the request is let through (fail open): the
 * request itself needs the database and will fail on its own. Idle buckets are removed by {@link
 * #forgetIdle}, which a scheduled job calls.
 */
public final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final int MAX_KEY = 128;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String prefix;
    private final String take;
    private final String peek;
    private final double capacity;
    private final Duration period;

    RateLimiter(JdbcClient jdbc, Clock clock, int perMinute) {
        this(jdbc, clock, "", perMinute, Duration.ofMinutes(1));
    }

    /**
     * A limiter of {@code capacity} tokens per key, refilled evenly over {@code period}, its keys stored
     * as {@code prefix + key} (prefix of letters and a colon, e.g. {@code "login:"}).
     */
    public RateLimiter(JdbcClient jdbc, Clock clock, String prefix, int capacity, Duration period) {
        if (!prefix.matches("[a-z-]*:?")) {
            throw new IllegalArgumentException("prefix must be letters and a colon: " + prefix);
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.prefix = prefix;
        this.capacity = capacity;
        this.period = period;
        double perMilli = capacity / (double) period.toMillis();
        String refilled =
                String.format(Locale.ROOT, "least(%d.0, tokens + (? - updated_at) * %.12e)", capacity, perMilli);
        this.take = "update rate_limit set tokens = " + refilled + " - 1, updated_at = ?" + " where bucket_key = ? and "
                + refilled + " >= 1";
        this.peek = "select " + refilled + " from rate_limit where bucket_key = ?";
    }

    /** Seconds until an empty bucket holds one token again (rounded up). */
    public long retryAfterSeconds() {
        return Math.max(1, (period.toMillis() / (long) capacity + 999) / 1000);
    }

    /** True when the key's bucket holds no whole token now; takes nothing. Fails open (false). */
    public boolean isEmpty(String key) {
        try {
            return jdbc.sql(peek)
                    .params(clock.millis(), bucketKey(key))
                    .query(Double.class)
                    .optional()
                    .map(tokens -> tokens < 1)
                    .orElse(false);
        } catch (DataAccessException e) {
            log.debug(
                    "rate limit not checked, database unavailable: {}",
                    e.getClass().getSimpleName());
            return false;
        }
    }

    private String bucketKey(String key) {
        String k = prefix + key;
        return k.length() > MAX_KEY ? k.substring(0, MAX_KEY) : k;
    }

    /** Takes one token from the key's bucket; false when it is empty. */
    public boolean tryAcquire(String key) {
        String k = bucketKey(key);
        long now = clock.millis();
        try {
            if (jdbc.sql(take).params(now, now, k, now).update() == 1) {
                return true;
            }
            return jdbc.sql("insert into rate_limit (bucket_key, tokens, updated_at) values (?, ?, ?)")
                            .params(k, capacity - 1, now)
                            .update()
                    == 1;
        } catch (DuplicateKeyException exists) {
            return false; // the bucket exists and is empty
        } catch (DataAccessException e) {
            log.debug(
                    "rate limit not checked, database unavailable: {}",
                    e.getClass().getSimpleName());
            return true;
        }
    }

    /**
     * Deletes this limiter's buckets untouched for longer than {@code idle}; pass at least the refill
     * period, so that only buckets that would be full again anyway go.
     */
    public int forgetIdle(Duration idle) {
        return jdbc.sql("delete from rate_limit where updated_at < ? and bucket_key like ?")
                .params(clock.millis() - idle.toMillis(), prefix + "%")
                .update();
    }
}
