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
 * Per-key token buckets: each key may spend {@code perMinute} requests, refilled evenly over a minute.
 * The buckets live in the database (table {@code rate_limit}), so every replica on one database spends
 * from the same bucket (docs/adr/0060). Taking a token is one conditional update, atomic under the row
 * lock; a key seen for the first time costs one insert more.
 *
 * <p>Thread-safe. When the database cannot be reached the request is let through (fail open): the
 * request itself needs the database and will fail on its own. Idle buckets are removed by {@link
 * #forgetIdle}, which a scheduled job calls.
 */
final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final int MAX_KEY = 128;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String take;
    private final double capacity;

    RateLimiter(JdbcClient jdbc, Clock clock, int perMinute) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.capacity = perMinute;
        double perMilli = perMinute / (double) Duration.ofMinutes(1).toMillis();
        String refilled =
                String.format(Locale.ROOT, "least(%d.0, tokens + (? - updated_at) * %.12e)", perMinute, perMilli);
        this.take = "update rate_limit set tokens = " + refilled + " - 1, updated_at = ?" + " where bucket_key = ? and "
                + refilled + " >= 1";
    }

    /** Takes one request from the key's bucket; false when it is empty. */
    boolean tryAcquire(String key) {
        String k = key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key;
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

    /** Deletes buckets untouched for longer than {@code idle} (they would be full again anyway). */
    int forgetIdle(Duration idle) {
        return jdbc.sql("delete from rate_limit where updated_at < ?")
                .param(clock.millis() - idle.toMillis())
                .update();
    }
}
