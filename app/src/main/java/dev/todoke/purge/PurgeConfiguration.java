package dev.todoke.purge;

import dev.todoke.audit.AuditLog;
import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.TransferCleanup;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the {@link Purger} (and after it {@link Retention}) every {@code todoke.purge.interval}, first one
 * interval after start-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PurgeConfiguration implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PurgeConfiguration.class);

    private final PurgeProperties properties;
    private final Purger purger;

    PurgeConfiguration(
            PurgeProperties properties,
            RetentionProperties retention,
            TransferCleanup rows,
            BlobStore blobs,
            AuditLog audit,
            Clock clock) {
        this.properties = properties;
        this.purger = new Purger(
                rows,
                blobs,
                audit,
                clock,
                properties,
                new Retention(rows, audit, clock, retention, properties.batchSize()));
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
        registrar.addFixedDelayTask(
                new FixedDelayTask(purger::runQuietly, properties.interval(), properties.interval()));
    }
}
