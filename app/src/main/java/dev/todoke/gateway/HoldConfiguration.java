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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The release side of held mail: {@link HeldRelease} over the steps after the hold step, the hold mail's
 * TLS update ({@link HoldTlsUpdates}), and the {@link HoldScheduler} ticking every {@code todoke.hold.poll-interval} (always on: it finds nothing to do
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
            ObjectProvider<RecipientTls> recipientTls,
            Clock clock) {
        this.properties = properties;
        HeldRelease release = new HeldRelease(
                holds, transfers, blobs, parser, pipeline.after(HoldStep.class), cleanup, links, todoke, audit, clock);
        HeldNotices notices = new HeldNotices(transfers, mails, blobs, nextHop);
        HoldTlsUpdates tlsUpdates = new HoldTlsUpdates(
                holds, notices, recipientTls.getIfAvailable(() -> RecipientTls.NONE), todoke, audit, properties, clock);
        this.scheduler = new HoldScheduler(holds, release, notices, tlsUpdates, locks, audit, properties, clock);
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
