package dev.todoke.jobs;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a scheduled job run once per period across every replica on one database (table {@code
 * job_lock}, docs/adr/0061). Each replica keeps its own timer; when it fires, the replica asks {@link
 * #tryAcquire}, and only the one that moves the job's {@code locked_until} forward runs the job. The
 * lock is never released early: it expires after {@code hold}, so a replica whose timer fires a moment
 * later in the same period finds it taken, and a replica that died while running never blocks the job
 * for longer than {@code hold}.
 *
 * <p>Times come from the injected {@link Clock}: replicas need synchronised clocks (NTP), as for every
 * expiry. Thread-safe; each call is one or two autocommitted statements. Database errors propagate as
 * {@code DataAccessException}.
 */
@Component
public class JobLock {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String owner;

    JobLock(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Takes the lock of {@code job} for {@code hold} if nobody holds it now.
     *
     * @return true when this caller may run the job now; false when another run (on any replica) holds it
     */
    public boolean tryAcquire(String job, Duration hold) {
        Instant now = clock.instant();
        Timestamp until = Timestamp.from(now.plus(hold));
        int taken = jdbc.sql("update job_lock set locked_until = ?, locked_at = ?, locked_by = ?"
                        + " where name = ? and locked_until <= ?")
                .params(until, Timestamp.from(now), owner, job, Timestamp.from(now))
                .update();
        if (taken == 1) {
            return true;
        }
        try {
            return jdbc.sql("insert into job_lock (name, locked_until, locked_at, locked_by) values (?, ?, ?, ?)")
                            .params(job, until, Timestamp.from(now), owner)
                            .update()
                    == 1;
        } catch (DuplicateKeyException held) {
            return false;
        }
    }

    /** Who holds (or last held) the lock: the JVM name and a random suffix per application context. */
    public String owner() {
        return owner;
    }
}
