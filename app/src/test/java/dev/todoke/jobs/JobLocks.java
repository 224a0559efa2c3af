package dev.todoke.jobs;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Builds {@link JobLock}s outside Spring, for tests of other packages. */
public final class JobLocks {

    private JobLocks() {}

    /** A job lock on {@code db} (migrated), as one replica would hold it. */
    public static JobLock on(DataSource db, Clock clock) {
        return new JobLock(JdbcClient.create(db), clock);
    }
}
