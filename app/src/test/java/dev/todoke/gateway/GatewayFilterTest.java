package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.todoke.audit.AuditLog;
import dev.todoke.database.Durability;
import dev.todoke.gateway.MailStep.Next;
import dev.todoke.link.LinkTokens;
import dev.todoke.mail.SystemMailException;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import dev.todoke.smtp.SmtpRejection;
import dev.todoke.storage.FaultyBlobStore;
import dev.todoke.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** The one mapping from step failures to SMTP replies, and the cleanup, with real H2 and blob store. */
class GatewayFilterTest extends StepTestBase {

    private Path spool;
    private final Envelope envelope = new Envelope(StepFixture.SENDER, List.of(EXTERNAL), "192.0.2.1", "mta");

    @BeforeEach
    void setUp() throws Exception {
        spool = Files.write(dir.resolve("in.eml"), TestMails.mail().to(EXTERNAL).build());
    }

    private GatewayFilter filter(MailStep... steps) {
        return filter(fixture.audit, steps);
    }

    private GatewayFilter filter(AuditLog audit, MailStep... steps) {
        return filter(audit, StepFixture.DURABLE_AT_COMMIT, steps);
    }

    private GatewayFilter filter(AuditLog audit, Durability durability, MailStep... steps) {
        return new GatewayFilter(
                new MailPipeline(List.of(steps)),
                new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK),
                audit,
                new SimpleMeterRegistry(),
                durability,
                EarlyStores.off());
    }

    /** Logs the scope's opening and its first close (a second close does nothing, as the contract says). */
    private static Durability logging(List<String> events, RuntimeException closeFailure) {
        return new Durability() {
            @Override
            public void barrier() {
                events.add("barrier");
            }

            @Override
            public Scope deferred() {
                events.add("deferred");
                boolean[] closed = {false};
                return () -> {
                    if (!closed[0]) {
                        closed[0] = true;
                        events.add("closed");
                        if (closeFailure != null) {
                            throw closeFailure;
                        }
                    }
                };
            }
        };
    }

    @Test
    void processWhenStepsSucceedOrFailThenTheyRunInOneDeferredScopeClosedBeforeTheReply() {
        List<String> events = new ArrayList<>();
        MailStep logged = mail -> {
            events.add("step");
            return Next.CONTINUE;
        };

        assertThatCode(() ->
                        filter(fixture.audit, logging(events, null), logged).process(envelope, spool))
                .doesNotThrowAnyException();
        assertThat(events).containsExactly("deferred", "step", "closed");

        events.clear();
        SmtpRejection rejection = rejection(filter(
                fixture.audit, logging(events, null), logged, failing(new RelayException("down", false, null), true)));
        assertThat(rejection.replyLine()).startsWith("451 ");
        assertThat(events).containsExactly("deferred", "step", "closed");
    }

    @Test
    void processWhenTheWritesCannotBeMadeDurableThen451DatabaseUnavailable() {
        List<String> events = new ArrayList<>();

        SmtpRejection rejection = rejection(filter(
                fixture.audit,
                logging(events, new DataAccessResourceFailureException("H2 could not write its file")),
                mail -> {
                    mail.startWriting();
                    return Next.CONTINUE;
                }));

        assertThat(rejection.replyLine()).isEqualTo("451 4.3.0 Database unavailable, try again later");
        assertThat(events).containsExactly("deferred", "closed");
    }

    private SmtpRejection rejection(GatewayFilter filter) {
        try {
            filter.process(envelope, spool);
        } catch (SmtpRejection e) {
            return e;
        }
        throw new AssertionError("no rejection");
    }

    private static MailStep failing(Exception e, boolean writing) {
        return mail -> {
            if (writing) {
                mail.startWriting();
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RelayException relay) {
                throw relay;
            }
            throw (RuntimeException) e;
        };
    }

    @Test
    void processWhenEveryStepSucceedsThenReturnsNormallyAndSpooledCopiesDeleted() throws Exception {
        Path copy = Files.createFile(dir.resolve("copy.eml"));

        filter(mail -> {
                    mail.addSpooledCopy(copy);
                    return Next.CONTINUE;
                })
                .process(envelope, spool);

        assertThat(copy).doesNotExist();
    }

    @Test
    void processWhenStepRefusesThen554WithItsStatusAndTextAndAudited() {
        SmtpRejection rejection = rejection(filter(mail -> {
            throw new MailRefusal("5.6.0", "Message refused: too deep", "too deep");
        }));

        assertThat(rejection.replyLine()).isEqualTo("554 5.6.0 Message refused: too deep");
        assertThat(fixture.jdbc
                        .sql("select kind || ' ' || detail from audit_event")
                        .query(String.class)
                        .single())
                .isEqualTo("mail-refused 554 5.6.0 Message refused: too deep");
    }

    @Test
    void processWhenRefusalCannotBeAuditedThen451DatabaseUnavailable() {
        fixture.jdbc.sql("drop table audit_event").update();

        SmtpRejection rejection = rejection(filter(mail -> {
            throw new MailRefusal("5.7.1", "refused by policy", "policy");
        }));

        assertThat(rejection.replyLine()).isEqualTo("451 4.3.0 Database unavailable, try again later");
    }

    @Test
    void processWhenTemporaryFailuresThen451WithTheTextOfTheirKind() {
        assertThat(rejection(filter(failing(new StorageException("s3"), true))).replyLine())
                .isEqualTo("451 4.3.0 Storage unavailable, try again later");
        assertThat(rejection(filter(failing(new DataAccessResourceFailureException("db"), true)))
                        .replyLine())
                .isEqualTo("451 4.3.0 Database unavailable, try again later");
        assertThat(rejection(filter(failing(new RelayException("down", false, null), false)))
                        .replyLine())
                .isEqualTo("451 4.3.0 Next hop unavailable, try again later");
        assertThat(rejection(filter(failing(new SystemMailException("x", true, null), true)))
                        .replyLine())
                .isEqualTo("451 4.3.0 Could not send the receipt, try again later");
        assertThat(rejection(filter(failing(new IOException("disk"), true))).replyLine())
                .isEqualTo("451 4.3.0 Could not read or write the message spool, try again later");
        assertThat(rejection(filter(failing(new IOException("disk"), false))).replyLine())
                .isEqualTo("451 4.3.0 Could not read the message, try again later");
        assertThat(rejection(filter(failing(new IllegalStateException("bug"), true)))
                        .replyLine())
                .isEqualTo("451 4.3.0 Temporary failure, try again later");
        assertThat(rejection(filter(failing(new IllegalStateException("bug"), false)))
                        .replyLine())
                .isEqualTo("451 4.3.0 Temporary failure while processing the message, try again later");
    }

    @Test
    void processWhenFailureAfterRecordingThenMessageFailedAndCopiesDeleted() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();
        Files.write(spool, raw);
        Path copy = Files.createFile(dir.resolve("copy.eml"));
        MailStep policy = new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke));
        MailStep parse = new ParseStep(new MimeParser(MimeLimits.defaults()), ParseStepTest.DEFAULTS);
        MailStep spoolCopy = mail -> {
            mail.addSpooledCopy(copy);
            mail.addCopy(EXTERNAL, MessageContent.of(copy));
            return Next.CONTINUE;
        };

        SmtpRejection rejection = rejection(filter(
                policy,
                parse,
                fixture.storeStep(),
                spoolCopy,
                new RelayStep(new RecordingNextHop().down(), StepFixture.DURABLE_AT_COMMIT)));

        assertThat(rejection.code()).isEqualTo(451);
        assertThat(fixture.jdbc
                        .sql("select state from message")
                        .query(String.class)
                        .single())
                .isEqualTo("failed");
        assertThat(copy).doesNotExist();
    }

    @Test
    void processWhenStoreFailsBeforeRecordingThenWrittenBlobsDeleted() throws Exception {
        byte[] raw = TestMails.mail()
                .to(EXTERNAL)
                .attach("a.pdf", new byte[] {1})
                .attach("b.pdf", new byte[] {2})
                .build();
        Files.write(spool, raw);
        MailStep policy = new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke));
        MailStep parse = new ParseStep(new MimeParser(MimeLimits.defaults()), ParseStepTest.DEFAULTS);
        StoreStep store = new StoreStep(
                new AttachmentStore(FaultyBlobStore.putsFailAfter(1, fixture.blobs)),
                fixture.transfers,
                new LinkTokens(new SecureRandom()),
                fixture.links,
                fixture.copyRetry(),
                StepFixture.CLOCK);

        assertThat(rejection(filter(policy, parse, store)).replyLine())
                .isEqualTo("451 4.3.0 Storage unavailable, try again later");
        assertThat(fixture.count("message")).isZero();
        assertThat(fixture.count("orphan_blob")).isZero();
        assertThat(Files.walk(dir.resolve("blobs")).filter(Files::isRegularFile))
                .isEmpty();
    }
}
