package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static dev.todoke.gateway.StepFixture.NOW;
import static dev.todoke.gateway.StepFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.policy.Policies;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.MessageState;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HoldStepTest extends StepTestBase {

    private final RecordingNextHop nextHop = new RecordingNextHop();
    private final byte[] raw = StepFixture.withOneAttachment();

    private HoldParts parts(HoldProperties properties) {
        return new HoldParts(fixture, nextHop, properties);
    }

    @Test
    void applyWhenNoRuleThenContinuesAndHoldsNothing() throws Exception {
        HoldParts parts = parts(HoldParts.delay(Duration.ZERO));
        MailTransaction mail = parts.stored(raw, EXTERNAL);

        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.CONTINUE);

        assertThat(fixture.count("held_mail")).isZero();
        assertThat(nextHop.sent).isEmpty();
    }

    @Test
    void applyWhenDelayThenDurableHeldRowOriginalInStoreAndHoldMailToSender() throws Exception {
        HoldParts parts = parts(HoldParts.delay(Duration.ofMinutes(2)));
        MailTransaction mail = parts.stored(raw, EXTERNAL, INTERNAL);

        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);

        Holds.Held held = fixture.holds.find(mail.recorded().messageId()).orElseThrow();
        assertThat(held.state()).isEqualTo(MessageState.HELD);
        assertThat(held.kind()).isEqualTo(Holds.Kind.HOLD);
        assertThat(held.releaseAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(held.recipients()).containsExactly(EXTERNAL, INTERNAL);
        try (InputStream in = fixture.blobs.open(held.originalBlob())) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(mail.spool()));
        }
        try (InputStream in = fixture.blobs.open(held.contextBlob())) {
            HoldContext context = HoldContext.read(in);
            assertThat(context.manageToken()).isEqualTo(mail.recorded().manageToken());
            assertThat(context.linkTokens()).isEqualTo(mail.recorded().linkTokens());
        }
        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipients()).containsExactly(SENDER);
            MimeMessage hold = message(sent.bytes());
            assertThat(hold.getHeader("X-Todoke-Kind", null)).isEqualTo("hold");
            assertThat(TestMails.allText(hold))
                    .contains("【 PARTNER.EXAMPLE 】", "alice@partner.example", "a.pdf")
                    .contains("https://files.example.jp/s/" + mail.recorded().manageToken());
        });
        assertThat(fixture.jdbc
                        .sql("select count(*) from audit_event where kind = 'mail-held'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void applyWhenInboundOrOnlyInternalThenNotHeld() throws Exception {
        HoldParts parts = parts(HoldParts.delay(Duration.ofMinutes(2)));
        MailTransaction inbound = fixture.stored(raw, EXTERNAL); // never marked outbound
        MailTransaction internal = parts.stored(raw, INTERNAL);

        assertThat(parts.step.apply(inbound)).isEqualTo(MailStep.Next.CONTINUE);
        assertThat(parts.step.apply(internal)).isEqualTo(MailStep.Next.CONTINUE);

        assertThat(fixture.count("held_mail")).isZero();
    }

    @Test
    void applyWhenUnchangedMailWithoutAttachmentsThenHeldWithMessageRowOfItsOwnUnlessAttachmentsOnly()
            throws Exception {
        byte[] plain = TestMails.mail().to(EXTERNAL).build();
        MailTransaction mail = fixture.mail(plain, EXTERNAL);
        new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail);
        mail.markOutbound();
        mail.passUnchanged();
        HoldParts onlyAttachments = parts(HoldParts.properties(
                Duration.ofMinutes(1), true, HoldParts.approval(0, Map.of(), List.of()), List.of()));

        assertThat(onlyAttachments.step.apply(mail)).isEqualTo(MailStep.Next.CONTINUE);
        assertThat(parts(HoldParts.delay(Duration.ofMinutes(1))).step.apply(mail))
                .isEqualTo(MailStep.Next.DONE);

        assertThat(fixture.count("message")).isEqualTo(1);
        assertThat(fixture.holds.find(mail.recorded().messageId()).orElseThrow().state())
                .isEqualTo(MessageState.HELD);
        assertThat(TestMails.allText(message(nextHop.sent.getFirst().bytes()))).contains("見積書の送付");
    }

    @Test
    void applyWhenMoreExternalRecipientsThanAllowedThenApprovalMailToApproverAndAwaitingMailToSender()
            throws Exception {
        HoldParts parts = parts(HoldParts.properties(
                Duration.ZERO,
                false,
                HoldParts.approval(1, Map.of("example.jp", "boss@example.jp"), List.of()),
                List.of()));
        MailTransaction mail = parts.stored(raw, EXTERNAL, EXTERNAL_2);

        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);

        Holds.Held held = fixture.holds.find(mail.recorded().messageId()).orElseThrow();
        assertThat(held.state()).isEqualTo(MessageState.APPROVAL);
        assertThat(held.approver()).isEqualTo("boss@example.jp");
        assertThat(held.releaseAt()).isNull();
        assertThat(held.decideBy()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(held.reason()).contains("more than 1 external recipients");
        assertThat(nextHop.sent).hasSize(2);
        assertThat(nextHop.sent.get(0).recipients()).containsExactly(SENDER);
        assertThat(message(nextHop.sent.get(0).bytes()).getHeader("X-Todoke-Kind", null))
                .isEqualTo("hold");
        MimeMessage approval = message(nextHop.sent.get(1).bytes());
        assertThat(nextHop.sent.get(1).recipients()).containsExactly("boss@example.jp");
        assertThat(approval.getHeader("X-Todoke-Kind", null)).isEqualTo("approval");
        assertThat(TestMails.allText(approval)).contains("https://files.example.jp/a/");
    }

    @Test
    void applyWhenInspectionAsksForApprovalThenApproval() throws Exception {
        HoldParts parts = parts(HoldParts.properties(
                Duration.ZERO,
                false,
                HoldParts.approval(0, Map.of("example.jp", "boss@example.jp"), List.of()),
                List.of()));
        MailTransaction mail = parts.stored(raw, EXTERNAL);
        mail.requireApproval("password-protected file(s)");

        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);

        assertThat(fixture.holds.find(mail.recorded().messageId()).orElseThrow().reason())
                .isEqualTo("password-protected file(s)");
    }

    @Test
    void applyWhenSelfCheckSenderThenHeldWithoutReleaseTime() throws Exception {
        HoldParts parts = parts(HoldParts.properties(
                Duration.ZERO, false, HoldParts.approval(0, Map.of(), List.of()), List.of(SENDER)));
        MailTransaction mail = parts.stored(raw, EXTERNAL);

        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);

        Holds.Held held = fixture.holds.find(mail.recorded().messageId()).orElseThrow();
        assertThat(held.kind()).isEqualTo(Holds.Kind.SELF_CHECK);
        assertThat(held.state()).isEqualTo(MessageState.HELD);
        assertThat(held.releaseAt()).isNull();
        assertThat(held.decideBy()).isEqualTo(NOW.plus(Duration.ofDays(3)));
    }

    @Test
    void applyWhenSenderGroupHasAnApproverThenItDecidesElseTheManagerButNeverTheSender() throws Exception {
        AtomicReference<Set<String>> groups = new AtomicReference<>(Set.of("legal"));
        AtomicReference<String> manager = new AtomicReference<>("manager@example.jp");
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.properties(
                        Duration.ZERO,
                        false,
                        HoldParts.approval(
                                0,
                                Map.of("example.jp", "domain-approver@example.jp"),
                                List.of(SENDER),
                                Map.of("legal", "counsel@example.jp"),
                                List.of()),
                        List.of()),
                new HoldPolicy.Sources(
                        Policies::none,
                        sender -> groups.get(),
                        sender -> Optional.ofNullable(manager.get()),
                        RecipientTls.NONE));

        assertThat(approverOf(parts)).isEqualTo("counsel@example.jp");
        groups.set(Set.of("sales"));
        assertThat(approverOf(parts)).as("no group rule: the manager").isEqualTo("manager@example.jp");
        manager.set(SENDER);
        assertThat(approverOf(parts))
                .as("the sender is not their own approver: the domain's")
                .isEqualTo("domain-approver@example.jp");
        manager.set(null);
        assertThat(approverOf(parts)).isEqualTo("domain-approver@example.jp");
        assertThat(nextHop.sent.stream().filter(s -> s.recipients().contains("manager@example.jp")))
                .singleElement()
                .satisfies(sent -> assertThat(message(sent.bytes()).getHeader("X-Todoke-Kind", null))
                        .isEqualTo("approval"));
    }

    private String approverOf(HoldParts parts) throws Exception {
        MailTransaction mail = parts.stored(unique(), EXTERNAL);
        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);
        return fixture.holds.find(mail.recorded().messageId()).orElseThrow().approver();
    }

    /** A mail of its own (a retried transaction would be recognised as one). */
    private static byte[] unique() throws Exception {
        return TestMails.mail()
                .to(EXTERNAL)
                .subject("mail " + UUID.randomUUID())
                .attach("a.pdf", new byte[] {1, 2, 3})
                .build();
    }

    @Test
    void applyWhenARecipientDomainHasAListedTlsVerdictThenApprovalElseHeldAndTheVerdictAwaited() throws Exception {
        HoldParts.Verdicts verdicts = new HoldParts.Verdicts();
        verdicts.codes.put("partner.example", "no-tls");
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.properties(
                        Duration.ofMinutes(2),
                        false,
                        HoldParts.approval(
                                0, Map.of("example.jp", "boss@example.jp"), List.of(), Map.of(), List.of("no-tls")),
                        List.of()),
                HoldParts.sources(verdicts));
        MailTransaction refused = parts.stored(raw, EXTERNAL);
        MailTransaction unknown = parts.stored(raw, EXTERNAL_2);

        assertThat(parts.step.apply(refused)).isEqualTo(MailStep.Next.DONE);
        assertThat(parts.step.apply(unknown)).isEqualTo(MailStep.Next.DONE);

        Holds.Held approval = fixture.holds.find(refused.recorded().messageId()).orElseThrow();
        assertThat(approval.state()).isEqualTo(MessageState.APPROVAL);
        assertThat(approval.reason()).isEqualTo("TLS verdict partner.example (no-tls)");
        assertThat(approval.approver()).isEqualTo("boss@example.jp");
        assertThat(TestMails.allText(message(nextHop.sent.get(0).bytes()))).contains("TLS: verdict no-tls");
        Holds.Held held = fixture.holds.find(unknown.recorded().messageId()).orElseThrow();
        assertThat(held.kind()).isEqualTo(Holds.Kind.HOLD);
        assertThat(TestMails.allText(message(nextHop.sent.getLast().bytes()))).contains("未確認 / not checked yet");
        assertThat(fixture.holds.tlsPending(10))
                .as("only the hold mail with an unknown verdict awaits an update")
                .containsExactly(unknown.recorded().messageId());
    }

    @Test
    void applyWhenStoredRulesMatchThenTheyDecideBeforeTheConfiguration() throws Exception {
        AtomicReference<Set<String>> groups = new AtomicReference<>(Set.of("legal"));
        Policies stored = Policies.of("""
                {"defaults": {"holdDelay": "PT0S"},
                 "recipientDomains": [{"domain": "other.example", "settings": {"holdDelay": "PT30M"}}],
                 "senders": [{"group": "legal", "settings": {"approval": true, "approver": "counsel@example.jp"}}]}
                """);
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.delay(Duration.ofMinutes(2)),
                new HoldPolicy.Sources(() -> stored, sender -> groups.get(), s -> Optional.empty(), RecipientTls.NONE));

        MailTransaction legal = parts.stored(unique(), EXTERNAL);
        assertThat(parts.step.apply(legal)).isEqualTo(MailStep.Next.DONE);
        Holds.Held approval = fixture.holds.find(legal.recorded().messageId()).orElseThrow();
        assertThat(approval.reason()).isEqualTo("stored policy: sender group legal needs approval");
        assertThat(approval.approver()).isEqualTo("counsel@example.jp");

        groups.set(Set.of());
        MailTransaction notHeld = parts.stored(unique(), EXTERNAL);
        assertThat(parts.step.apply(notHeld))
                .as("the stored default PT0S turns the configured delay off")
                .isEqualTo(MailStep.Next.CONTINUE);
        MailTransaction toOther = parts.stored(unique(), EXTERNAL_2);
        assertThat(parts.step.apply(toOther)).isEqualTo(MailStep.Next.DONE);
        assertThat(fixture.holds
                        .find(toOther.recorded().messageId())
                        .orElseThrow()
                        .releaseAt())
                .isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    static MimeMessage message(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }
}
