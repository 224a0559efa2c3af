package dev.todoke.gateway;

import dev.todoke.jobs.JobLocks;
import dev.todoke.link.LinkTokens;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.TestMailParts;
import dev.todoke.mime.MessageRewriter;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The hold step, the release and the scheduler over one {@link StepFixture}, without Spring: the steps
 * after the hold step as the application builds them, a {@link RecordingNextHop}, and a clock the test
 * moves.
 */
final class HoldParts {

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** TLS verdicts the test sets per domain (by code); nothing is ever probed. */
    static final class Verdicts implements RecipientTls {
        final Map<String, String> codes = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void startChecks(java.util.Collection<String> domains) {
            // the test decides when a verdict is known
        }

        @Override
        public java.util.Optional<String> knownVerdict(String domain) {
            return java.util.Optional.ofNullable(codes.get(domain)).map(code -> "verdict " + code);
        }

        @Override
        public java.util.Optional<String> verdictWithin(String domain, Duration budget) {
            return java.util.Optional.ofNullable(codes.get(domain));
        }
    }

    /** No stored policies, no sign-ins, TLS verdicts from {@code tls}. */
    static HoldPolicy.Sources sources(RecipientTls tls) {
        return new HoldPolicy.Sources(
                dev.todoke.policy.Policies::none, s -> java.util.Set.of(), s -> java.util.Optional.empty(), tls);
    }

    final StepFixture fixture;
    final RecordingNextHop nextHop;
    final MovableClock clock = new MovableClock(StepFixture.NOW);
    final HoldProperties properties;
    final HoldStep step;
    final HeldRelease release;
    final HoldScheduler scheduler;

    HoldParts(StepFixture fixture, RecordingNextHop nextHop, HoldProperties properties) {
        this(fixture, nextHop, properties, HoldPolicy.Sources.NONE);
    }

    /** With stored policies, sign-ins and TLS verdicts from {@code sources}. */
    HoldParts(StepFixture fixture, RecordingNextHop nextHop, HoldProperties properties, HoldPolicy.Sources sources) {
        this.fixture = fixture;
        this.nextHop = nextHop;
        this.properties = properties;
        MailSeal seal = TestMailParts.seal(fixture.todoke);
        NoticeTexts texts = NoticeTextsTest.texts();
        HoldMails mails = new HoldMails(TestMailParts.systemMail(seal, nextHop, clock), texts, fixture.todoke);
        LinkTokens tokens = new LinkTokens(new SecureRandom());
        this.step = new HoldStep(
                new HoldPolicy(properties, fixture.todoke, fixture.transfers, sources),
                fixture.blobs,
                fixture.transfers,
                fixture.holds,
                mails,
                tokens,
                fixture.links,
                properties,
                nextHop,
                sources.tls(),
                fixture.todoke,
                fixture.audit,
                clock);
        MailPipeline afterHold = new MailPipeline(List.of(
                new CopiesStep(new MessageRewriter(new SecureRandom()), seal, texts, fixture.todoke),
                new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT),
                new ReceiptStep(TestMailParts.systemMail(seal, nextHop, clock), texts, fixture.todoke, nextHop),
                new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions)));
        this.release = new HeldRelease(
                fixture.holds,
                fixture.transfers,
                fixture.blobs,
                new MimeParser(MimeLimits.defaults()),
                afterHold,
                new AttemptCleanup(fixture.transfers, fixture.blobs, clock),
                fixture.links,
                fixture.todoke,
                fixture.audit,
                clock);
        HeldNotices notices = new HeldNotices(fixture.transfers, mails, fixture.blobs, nextHop);
        this.scheduler = new HoldScheduler(
                fixture.holds,
                release,
                notices,
                new HoldTlsUpdates(
                        fixture.holds, notices, sources.tls(), fixture.todoke, fixture.audit, properties, clock),
                JobLocks.on(fixture.dataSource, clock),
                fixture.audit,
                properties,
                clock);
    }

    /** Hold for {@code delay}, no other rule. */
    static HoldProperties delay(Duration delay) {
        return properties(delay, false, approval(0, Map.of(), List.of()), List.of());
    }

    static HoldProperties properties(
            Duration delay, boolean attachmentsOnly, HoldProperties.Approval approval, List<String> selfCheck) {
        return new HoldProperties(
                delay,
                attachmentsOnly,
                false,
                Duration.ofSeconds(5),
                Duration.ofMinutes(2),
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                Duration.ofDays(1),
                Duration.ofMinutes(10),
                approval,
                new HoldProperties.SelfCheck(selfCheck, Duration.ofDays(3)));
    }

    static HoldProperties.Approval approval(int over, Map<String, String> approvers, List<String> senders) {
        return approval(over, approvers, senders, Map.of(), List.of());
    }

    static HoldProperties.Approval approval(
            int over,
            Map<String, String> approvers,
            List<String> senders,
            Map<String, String> groupApprovers,
            List<String> tlsVerdicts) {
        return new HoldProperties.Approval(
                over,
                false,
                senders,
                tlsVerdicts,
                Duration.ofSeconds(3),
                approvers,
                groupApprovers,
                true,
                null,
                Duration.ofDays(1),
                HoldProperties.TimeoutAction.REJECT,
                Duration.ofHours(4));
    }

    /** A transaction run through the steps before the hold step (outbound, policy, parse, store). */
    MailTransaction stored(byte[] raw, String... recipients) throws Exception {
        MailTransaction mail = fixture.stored(raw, recipients);
        mail.markOutbound();
        return mail;
    }
}
