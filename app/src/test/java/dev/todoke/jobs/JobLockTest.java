package dev.todoke.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.Databases;
import dev.todoke.web.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One run per period across replicas, on H2 and PostgreSQL. */
class JobLockTest {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));

    @Test
    void tryAcquireWhenHeldByAnotherReplicaThenFalseUntilTheHoldEndsOnH2() {
        heldThenFalseUntilTheHoldEnds(Databases.h2());
    }

    @Test
    void tryAcquireWhenHeldByAnotherReplicaThenFalseUntilTheHoldEndsOnPostgres() {
        heldThenFalseUntilTheHoldEnds(postgres.dataSource());
    }

    @Test
    void tryAcquireWhenManyReplicasAskAtOnceThenExactlyOneGetsIt() throws Exception {
        DataSource db = postgres.dataSource();
        int replicas = 8;
        CountDownLatch start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                JobLock lock = JobLocks.on(db, clock);
                Callable<Boolean> ask = () -> {
                    start.await();
                    return lock.tryAcquire("purge", Duration.ofMinutes(9));
                };
                results.add(executor.submit(ask));
            }
            start.countDown();
            long winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
    }

    private void heldThenFalseUntilTheHoldEnds(DataSource db) {
        JobLock a = JobLocks.on(db, clock);
        JobLock b = JobLocks.on(db, clock);

        assertThat(a.tryAcquire("purge", Duration.ofMinutes(9))).isTrue();
        assertThat(b.tryAcquire("purge", Duration.ofMinutes(9))).isFalse();
        assertThat(a.tryAcquire("purge", Duration.ofMinutes(9))).isFalse();
        assertThat(b.tryAcquire("other", Duration.ofMinutes(9))).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(b.tryAcquire("purge", Duration.ofMinutes(9))).isTrue();
        assertThat(a.tryAcquire("purge", Duration.ofMinutes(9))).isFalse();
    }
}
