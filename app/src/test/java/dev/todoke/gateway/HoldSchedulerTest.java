package dev.todoke.gateway;

import static dev.todoke.gateway.HoldStepTest.message;
import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static dev.todoke.gateway.StepFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.link.LinkTokens;
import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.MessageState;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The release side: the scheduler releases, retries, times out and tells the sender; HeldRelease sends. */
class HoldSchedulerTest extends StepTestBase {

    private final byte[] raw = StepFixture.withOneAttachment();

    private final RecordingNextHop nextHop = new RecordingNextHop();

    private UUID hold(HoldParts parts, String... recipients) throws Exception {
        MailTransaction mail = parts.stored(raw, recipients);
        assertThat(parts.step.apply(mail)).isEqualTo(MailStep.Next.DONE);
        nextHop.sent.clear();
        return mail.recorded().messageId();
    }

    @Test
    void tickWhenReleaseTimeComesThenCopiesAndReceiptGoOutOnceAndMessageIsRelayed() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofMinutes(2)));
        UUID id = hold(parts, EXTERNAL, INTERNAL);

        parts.clock.advance(Duration.ofSeconds(119));
        parts.scheduler.tick();
        assertThat(nextHop.sent).isEmpty();

        parts.clock.advance(Duration.ofSeconds(1));
        parts.scheduler.tick();
        parts.scheduler.tick();

        assertThat(nextHop.sent)
                .extracting(RecordingNextHop.Sent::recipients)
                .containsExactly(List.of(INTERNAL), List.of(EXTERNAL), List.of(SENDER));
        MimeMessage copy = message(nextHop.sent.get(1).bytes());
        assertThat(copy.getHeader("X-Todoke-Kind", null)).isEqualTo("notice");
        String text = TestMails.allText(copy);
        String token = text.replaceAll("(?s).*https://files\\.example\\.jp/d/([A-Za-z0-9_-]+).*", "$1");
        assertThat(fixture.transfers.findLink(LinkTokens.hash(token))).isPresent();
        assertThat(message(nextHop.sent.get(2).bytes()).getHeader("X-Todoke-Kind", null))
                .isEqualTo("receipt");
        assertThat(fixture.transfers.state(id)).contains(MessageState.RELAYED);
        assertThat(fixture.transfers.message(id).orElseThrow().expiresAt())
                .isEqualTo(parts.clock.instant().plus(fixture.links.expiry()));
        Holds.Held held = fixture.holds.find(id).orElseThrow();
        assertThat(List.of(held.originalBlob(), held.contextBlob()))
                .as("the held original and its context (with the link secrets) are gone once released")
                .allSatisfy(
                        key -> assertThatThrownBy(() -> fixture.blobs.open(key).close())
                                .isInstanceOf(BlobNotFoundException.class));
    }

    @Test
    void tickWhenCancelledThenNothingEverGoesOutAndThePurgerMayTakeIt() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofMinutes(2)));
        UUID id = hold(parts, EXTERNAL);

        assertThat(fixture.holds.cancel(id, "sender")).isTrue();
        assertThat(fixture.holds.releaseNow(id, parts.clock.instant(), "sender"))
                .isFalse();
        parts.clock.advance(Duration.ofDays(1));
        parts.scheduler.tick();

        assertThat(nextHop.sent).isEmpty();
        assertThat(fixture.transfers.state(id)).contains(MessageState.CANCELLED);
    }

    @Test
    void tickWhenSentNowThenReleasedBeforeItsTime() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofHours(1)));
        UUID id = hold(parts, EXTERNAL);

        assertThat(fixture.holds.releaseNow(id, parts.clock.instant(), "sender"))
                .isTrue();
        parts.scheduler.tick();

        assertThat(fixture.transfers.state(id)).contains(MessageState.RELAYED);
        assertThat(nextHop.sent).hasSize(2);
        assertThat(fixture.holds.cancel(id, "sender")).isFalse();
    }

    @Test
    void tickWhenNextHopDownThenRetriedWithBackOffAndReleasedOnceItIsBack() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofMinutes(2)));
        UUID id = hold(parts, EXTERNAL);
        parts.clock.advance(Duration.ofMinutes(2));
        nextHop.down();

        parts.scheduler.tick();

        Holds.Held held = fixture.holds.find(id).orElseThrow();
        assertThat(held.state()).isEqualTo(MessageState.HELD);
        assertThat(held.attempts()).isEqualTo(1);
        assertThat(held.nextAttemptAt()).isEqualTo(parts.clock.instant().plus(Duration.ofMinutes(1)));

        nextHop.up();
        parts.clock.advance(Duration.ofSeconds(30));
        parts.scheduler.tick();
        assertThat(nextHop.sent).isEmpty();
        parts.clock.advance(Duration.ofSeconds(30));
        parts.scheduler.tick();
        assertThat(fixture.transfers.state(id)).contains(MessageState.RELAYED);
        assertThat(nextHop.sent).hasSize(2);
    }

    @Test
    void tickWhenReleaseKeepsFailingThenGivenUpAndSenderToldOnceTheNextHopTakesMailAgain() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofMinutes(2)));
        UUID id = hold(parts, EXTERNAL);
        nextHop.down();
        for (int i = 0; i < 60; i++) {
            parts.clock.advance(Duration.ofMinutes(30));
            parts.scheduler.tick();
        }
        assertThat(fixture.transfers.state(id)).contains(MessageState.FAILED);
        assertThat(fixture.holds.find(id).orElseThrow().noticeDue()).isEqualTo("release-failed");

        nextHop.up();
        parts.scheduler.tick();

        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipients()).containsExactly(SENDER);
            assertThat(message(sent.bytes()).getHeader("X-Todoke-Kind", null)).isEqualTo("release-failed");
        });
        assertThat(fixture.holds.find(id).orElseThrow().noticeDue()).isNull();
    }

    @Test
    void releaseWhenACopyWasAcceptedBeforeACrashThenOnlyTheRestGoesOut() throws Exception {
        HoldParts parts = new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofMinutes(2)));
        UUID id = hold(parts, EXTERNAL, EXTERNAL_2);
        // the first attempt got the copy to EXTERNAL accepted, then the process died while releasing
        fixture.holds.recordAccepted(id, CopyLedger.copy(EXTERNAL), parts.clock.instant());
        assertThat(fixture.holds.claim(
                        id, parts.clock.instant(), parts.clock.instant().plus(Duration.ofMinutes(2)), "dead"))
                .isTrue();
        parts.clock.advance(Duration.ofMinutes(2));

        parts.scheduler.tick();

        assertThat(nextHop.sent)
                .extracting(RecordingNextHop.Sent::recipients)
                .containsExactly(List.of(EXTERNAL_2), List.of(SENDER));
        assertThat(fixture.transfers.state(id)).contains(MessageState.RELAYED);
    }

    @Test
    void approvalWhenApprovedThenReleasedAndWhenRejectedThenSenderToldAndNothingSent() throws Exception {
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.properties(
                        Duration.ZERO,
                        false,
                        HoldParts.approval(0, Map.of("example.jp", "boss@example.jp"), List.of(SENDER)),
                        List.of()));
        UUID approved = hold(parts, EXTERNAL);
        UUID rejected = hold(parts, EXTERNAL_2);

        parts.scheduler.tick();
        assertThat(nextHop.sent).isEmpty();
        assertThat(fixture.holds.releaseNow(approved, parts.clock.instant(), "sender"))
                .isFalse();
        assertThat(fixture.holds.approve(approved, parts.clock.instant(), "boss"))
                .isTrue();
        assertThat(fixture.holds.reject(rejected, "boss", "rejected")).isTrue();
        assertThat(fixture.holds.approve(rejected, parts.clock.instant(), "boss"))
                .isFalse();
        parts.scheduler.tick();

        assertThat(fixture.transfers.state(approved)).contains(MessageState.RELAYED);
        assertThat(fixture.transfers.state(rejected)).contains(MessageState.REJECTED);
        assertThat(nextHop.sent)
                .extracting(s -> s.recipients().getFirst())
                .containsExactlyInAnyOrder(SENDER, EXTERNAL, SENDER);
        assertThat(nextHop.sent.stream()
                        .filter(s -> s.text().contains("X-Todoke-Kind: rejected"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void approvalWhenNobodyDecidesThenRemindedAndRejectedAtTheTimeout() throws Exception {
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.properties(
                        Duration.ZERO,
                        false,
                        HoldParts.approval(0, Map.of("example.jp", "boss@example.jp"), List.of(SENDER)),
                        List.of()));
        UUID id = hold(parts, EXTERNAL);

        parts.clock.advance(Duration.ofHours(4));
        parts.scheduler.tick();
        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipients()).containsExactly("boss@example.jp");
            assertThat(message(sent.bytes()).getHeader("X-Todoke-Kind", null)).isEqualTo("approval");
        });

        parts.clock.advance(Duration.ofHours(20));
        parts.scheduler.tick();

        assertThat(fixture.transfers.state(id)).contains(MessageState.REJECTED);
        assertThat(nextHop.sent.getLast().recipients()).containsExactly(SENDER);
        assertThat(nextHop.sent.getLast().text()).contains("X-Todoke-Kind: rejected");
    }

    @Test
    void selfCheckWhenNotConfirmedThenNeverReleasedAndCancelledAtItsTimeout() throws Exception {
        HoldParts parts = new HoldParts(
                fixture,
                nextHop,
                HoldParts.properties(
                        Duration.ZERO, false, HoldParts.approval(0, Map.of(), List.of()), List.of(SENDER)));
        UUID id = hold(parts, EXTERNAL);

        parts.clock.advance(Duration.ofDays(2));
        parts.scheduler.tick();
        assertThat(nextHop.sent).isEmpty();
        parts.clock.advance(Duration.ofDays(1));
        parts.scheduler.tick();

        assertThat(fixture.transfers.state(id)).contains(MessageState.CANCELLED);
        assertThat(nextHop.sent)
                .singleElement()
                .satisfies(sent -> assertThat(sent.recipients()).containsExactly(SENDER));
    }

    private HoldParts heldAnHour(HoldParts.Verdicts verdicts) {
        return new HoldParts(fixture, nextHop, HoldParts.delay(Duration.ofHours(1)), HoldParts.sources(verdicts));
    }

    @Test
    void tickWhenTlsVerdictsArriveAfterTheHoldMailThenOneUpdateWithThem() throws Exception {
        HoldParts.Verdicts verdicts = new HoldParts.Verdicts();
        verdicts.codes.put("partner.example", "tls");
        HoldParts parts = heldAnHour(verdicts);
        UUID id = hold(parts, EXTERNAL, EXTERNAL_2, INTERNAL);

        parts.scheduler.tick();
        assertThat(nextHop.sent).as("other.example still unknown").isEmpty();

        verdicts.codes.put("other.example", "no-tls");
        parts.clock.advance(Duration.ofSeconds(5));
        parts.scheduler.tick();
        parts.scheduler.tick();

        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipients()).containsExactly(SENDER);
            MimeMessage update = message(sent.bytes());
            assertThat(update.getHeader("X-Todoke-Kind", null)).isEqualTo("hold");
            assertThat(update.getSubject()).contains("TLS checked");
            assertThat(TestMails.allText(update))
                    .contains("bob@", "TLS: verdict no-tls", "TLS: verdict tls", "/s/")
                    .contains("TLS: " + HoldMails.INTERNAL)
                    .doesNotContain("not checked yet");
        });
        assertThat(fixture.holds.tlsPending(10)).isEmpty();
        assertThat(fixture.jdbc
                        .sql("select count(*) from audit_event where kind = 'hold-mail-updated' and message_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void tickWhenTlsVerdictsStayUnknownThenNoUpdateAndNotLookedAtAfterTheWindow() throws Exception {
        HoldParts.Verdicts verdicts = new HoldParts.Verdicts();
        HoldParts parts = heldAnHour(verdicts);
        hold(parts, EXTERNAL);

        parts.clock.advance(Duration.ofMinutes(10));
        parts.scheduler.tick();

        assertThat(fixture.holds.tlsPending(10)).isEmpty();
        verdicts.codes.put("partner.example", "tls");
        parts.scheduler.tick();
        assertThat(nextHop.sent).isEmpty();
    }

    @Test
    void approvalWhenTimeoutActionIsReleaseThenReleasedAtTheTimeoutAndAudited() throws Exception {
        HoldProperties.Approval release = new HoldProperties.Approval(
                0,
                false,
                List.of(SENDER),
                List.of(),
                Duration.ofSeconds(3),
                Map.of("example.jp", "boss@example.jp"),
                Map.of(),
                true,
                null,
                Duration.ofHours(1),
                HoldProperties.TimeoutAction.RELEASE,
                Duration.ofHours(4));
        HoldParts parts =
                new HoldParts(fixture, nextHop, HoldParts.properties(Duration.ZERO, false, release, List.of()));
        UUID id = hold(parts, EXTERNAL);

        parts.clock.advance(Duration.ofHours(1));
        parts.scheduler.tick();
        parts.scheduler.tick();

        assertThat(fixture.transfers.state(id)).contains(MessageState.RELAYED);
        assertThat(nextHop.sent).extracting(RecordingNextHop.Sent::recipients).contains(List.of(EXTERNAL));
        assertThat(fixture.jdbc
                        .sql("select count(*) from audit_event where kind = 'mail-approved' and message_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }
}
