package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.database.Durability;
import dev.todoke.mail.SystemMailException;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import dev.todoke.smtp.MailFilter;
import dev.todoke.smtp.SmtpRejection;
import dev.todoke.smtp.SpoolWatch;
import dev.todoke.storage.StorageException;
import dev.todoke.virus.ClamdUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The gateway: runs one mail transaction through the {@link MailPipeline} between DATA and the reply
 * (see docs/gateway.md), and is the one place that turns a step's failure into an SMTP reply.
 *
 * <ul>
 *   <li>{@link MailRefusal}: audited ({@code mail-refused}), answered 554 with its status and text; if
 *       the audit fails, 451 instead.
 *   <li>Storage, database, next hop, system mail, spool and any other exception: 451 4.3.0, and what
 *       the attempt wrote is left for the purger ({@link AttemptCleanup}).
 * </ul>
 *
 * The next-hop session is closed and spooled copies are deleted whatever the outcome. Every outcome is counted ({@link GatewayMeters}).
 * Thread-safe.
 */
@Component
class GatewayFilter implements MailFilter {

    private static final Logger log = LoggerFactory.getLogger(GatewayFilter.class);

    private final MailPipeline pipeline;
    private final AttemptCleanup cleanup;
    private final AuditLog audit;
    private final GatewayMeters meters;
    private final Durability durability;
    private final EarlyStores early;

    GatewayFilter(
            MailPipeline pipeline,
            AttemptCleanup cleanup,
            AuditLog audit,
            MeterRegistry registry,
            Durability durability,
            EarlyStores early) {
        this.early = early;
        this.pipeline = pipeline;
        this.cleanup = cleanup;
        this.audit = audit;
        this.meters = new GatewayMeters(registry);
        this.durability = durability;
    }

    @Override
    public void process(Envelope envelope, Path message) throws SmtpRejection {
        // what the steps commit is made durable before anything leaves for the next hop and before the
        // reply, not at every commit (ADR 0190)
        Durability.Scope durable = durability.deferred();
        MailTransaction mail = new MailTransaction(envelope, message);
        mail.early(early.find(message));
        try {
            pipeline.run(mail);
            durable.close();
            meters.accepted(mail);
        } catch (MailRefusal refusal) {
            cleanup.afterFailure(mail);
            throw refuse(envelope, refusal);
        } catch (IOException | RelayException | RuntimeException e) {
            String text = temporaryText(e, mail.isWriting());
            log.warn("451 for a message from <{}>: {} ({})", envelope.sender(), text, e.toString());
            meters.temporaryFailure(e);
            cleanup.afterFailure(mail);
            throw SmtpRejection.temporary(text, e);
        } finally {
            closeAfterFailure(durable);
            mail.closeNextHopSession();
            cleanup.releaseFiles(mail);
        }
    }

    /** Large outbound mail: its attachments are stored while DATA still arrives (ADR 0198). */
    @Override
    public SpoolWatch watch(String sender, List<String> recipients, Path message) {
        return early.watch(sender, recipients, message);
    }

    /** Makes a failed attempt's writes (its cleanup's too) durable before the reply; already done after success. */
    private static void closeAfterFailure(Durability.Scope durable) {
        try {
            durable.close();
        } catch (RuntimeException e) {
            log.warn("Could not make a failed attempt's database writes durable: {}", e.toString());
        }
    }

    /**
     * The 451 text for a temporary failure. Before a step starts writing, only the spool is read and the
     * next hop asked (for unchanged mail); anything else there is unexpected.
     */
    static String temporaryText(Exception e, boolean writing) {
        if (e instanceof RelayException) {
            return "Next hop unavailable, try again later";
        }
        if (e instanceof ClamdUnavailableException) {
            return "Virus scan unavailable, try again later";
        }
        if (!writing) {
            return e instanceof IOException
                    ? "Could not read the message, try again later"
                    : "Temporary failure while processing the message, try again later";
        }
        return switch (e) {
            case StorageException s -> "Storage unavailable, try again later";
            case DataAccessException d -> "Database unavailable, try again later";
            case SystemMailException s -> "Could not send the receipt, try again later";
            case IOException i -> "Could not read or write the message spool, try again later";
            default -> "Temporary failure, try again later";
        };
    }

    private SmtpRejection refuse(Envelope envelope, MailRefusal refusal) {
        SmtpRejection rejection = new SmtpRejection(refusal.code(), refusal.enhancedStatus(), refusal.text());
        try {
            audit.record(
                    "mail-refused", null, null, envelope.sender(), envelope.clientAddress(), rejection.replyLine());
        } catch (RuntimeException e) {
            log.warn(
                    "Could not audit the refusal of a message from <{}> ({}): {}",
                    envelope.sender(),
                    refusal.reason(),
                    e.toString());
            meters.temporaryFailure(e);
            return SmtpRejection.temporary("Database unavailable, try again later", e);
        }
        meters.refused(refusal);
        return rejection;
    }
}
