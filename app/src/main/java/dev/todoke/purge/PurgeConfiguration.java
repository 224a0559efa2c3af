package dev.todoke.purge;

import dev.todoke.audit.AuditLog;
import dev.todoke.jobs.JobLock;
import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.TransferCleanup;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the {@link Purger} (and after it {@link Retention}) every {@code todoke.purge.interval}, first one
 * interval after start-up, on one replica per interval: every replica's timer fires, and only the one
 * that takes the {@code purge} {@link JobLock} (held for nine tenths of the interval) runs. Each run is
 * counted in the {@code todoke.purge.*} meters.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PurgeConfiguration implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PurgeConfiguration.class);

    private final PurgeProperties properties;
    private final Purger purger;
    private final JobLock locks;
    private final PurgeMeters meters;

    PurgeConfiguration(
            PurgeProperties properties,
            RetentionProperties retention,
            TransferCleanup rows,
            BlobStore blobs,
            AuditLog audit,
            Clock clock,
            JobLock locks,
            MeterRegistry registry) {
        this.properties = properties;
        this.purger = new Purger(
                rows,
                blobs,
                audit,
                clock,
                properties,
                new Retention(rows, audit, clock, retention, properties.batchSize()));
        this.locks = locks;
        this.meters = new PurgeMeters(registry);
    }

    @Bean
    Purger purger() {
        return purger;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (!properties.enabled()) {
            log.info("Purger disabled (todoke.purge.enabled=false)");
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(this::runIfDue, properties.interval(), properties.interval()));
    }

    /** One tick of this replica's timer: purges if no other replica has this interval. */
    void runIfDue() {
        boolean mine;
        try {
            mine = locks.tryAcquire(
                    "purge", properties.interval().multipliedBy(9).dividedBy(10));
        } catch (DataAccessException e) {
            log.warn("Purge skipped, database unavailable: {}", e.getClass().getSimpleName());
            return;
        }
        if (mine) {
            meters.record(purger.runQuietly());
        }
    }
}
