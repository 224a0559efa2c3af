package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.jobs.JobLock;
import dev.todoke.link.LinkProperties;
import dev.todoke.mime.MimeParser;
import dev.todoke.relay.NextHop;
import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The release side of held mail: {@link HeldRelease} over the steps after the hold step, and the
 * {@link HoldScheduler} ticking every {@code todoke.hold.poll-interval} (always on: it finds nothing to do
 * when nothing is held).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class HoldConfiguration implements SchedulingConfigurer {

    private final HoldProperties properties;
    private final HoldScheduler scheduler;

    HoldConfiguration(
            HoldProperties properties,
            Holds holds,
            Transfers transfers,
            BlobStore blobs,
            MimeParser parser,
            MailPipeline pipeline,
            AttemptCleanup cleanup,
            LinkProperties links,
            TodokeProperties todoke,
            HoldMails mails,
            NextHop nextHop,
            JobLock locks,
            AuditLog audit,
            Clock clock) {
        this.properties = properties;
        HeldRelease release = new HeldRelease(
                holds, transfers, blobs, parser, pipeline.after(HoldStep.class), cleanup, links, todoke, audit, clock);
        this.scheduler =
                new HoldScheduler(holds, transfers, release, mails, blobs, nextHop, locks, audit, properties, clock);
    }

    @Bean
    HoldWake holdWake() {
        return scheduler;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(scheduler::runIfDue, properties.pollInterval(), properties.pollInterval()));
    }
}
