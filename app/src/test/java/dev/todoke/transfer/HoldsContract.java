package dev.todoke.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.transfer.Holds.Held;
import dev.todoke.transfer.Holds.Kind;
import dev.todoke.transfer.Holds.NewHold;
import dev.todoke.transfer.Transfers.NewLink;
import dev.todoke.transfer.Transfers.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What {@link Holds} (and the transfer queries that know held mail) must do on every database. */
abstract class HoldsContract {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    private Transfers transfers;
    private TransferCleanup cleanup;
    private Holds holds;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        DataSource dataSource = dataSource();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transfers = new Transfers(jdbc, transactions, event -> {});
        cleanup = new TransferCleanup(jdbc);
        holds = new Holds(jdbc, transactions);
    }

    private UUID held(Kind kind, Instant releaseAt, Instant decideBy, Instant remindAt) {
        UUID id = UUID.randomUUID();
        String hash = id.toString().replace("-", "") + "0".repeat(32);
        transfers.insert(
                new NewMessage(
                        id, "taro@example.jp", null, "件名", null, "fp-" + id, NOW, NOW.plus(Duration.ofDays(7)), hash),
                List.of(new StoredFile(
                        UUID.randomUUID(), 0, "a.pdf", "application/pdf", 3, "0".repeat(64), "file-" + id)),
                List.of(new NewLink(UUID.randomUUID(), "hanako@partner.example", "1" + hash.substring(1))));
        holds.hold(
                new NewHold(
                        id,
                        kind,
                        "taro@example.jp",
                        List.of("hanako@partner.example", "jiro@example.jp"),
                        "192.0.2.1",
                        "fp-" + id,
                        "original-" + id,
                        "context-" + id,
                        "why",
                        NOW,
                        releaseAt,
                        decideBy,
                        remindAt,
                        kind == Kind.APPROVAL ? "boss@example.jp" : null,
                        kind == Kind.APPROVAL ? "2" + hash.substring(1) : null,
                        kind == Kind.HOLD),
                kind == Kind.APPROVAL ? MessageState.APPROVAL : MessageState.HELD);
        return id;
    }

    @Test
    void tlsPendingWhenHoldMailAwaitsVerdictsThenListedWhileHeldAndClearedOnce() {
        UUID pending = held(Kind.HOLD, NOW.plusSeconds(60), null, null);
        held(Kind.SELF_CHECK, null, NOW.plusSeconds(600), null);

        assertThat(holds.tlsPending(10)).containsExactly(pending);
        assertThat(holds.tlsUpdated(pending)).isTrue();
        assertThat(holds.tlsUpdated(pending)).as("only one replica clears it").isFalse();
        assertThat(holds.tlsPending(10)).isEmpty();
    }

    @Test
    void holdWhenWrittenThenReadBackAndKeptFromExpiryButFoundAsARetry() {
        UUID id = held(Kind.HOLD, NOW.plusSeconds(60), null, null);

        Held held = holds.find(id).orElseThrow();
        assertThat(held.state()).isEqualTo(MessageState.HELD);
        assertThat(held.recipients()).containsExactly("hanako@partner.example", "jiro@example.jp");
        assertThat(held.releaseAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(cleanup.expired(NOW.plus(Duration.ofDays(30)), 10)).doesNotContain(id);
        assertThat(cleanup.blobKeys(id)).containsExactlyInAnyOrder("file-" + id, "original-" + id, "context-" + id);
        assertThat(transfers.findRelayed("fp-" + id, NOW.minusSeconds(1))).contains(id);
    }

    @Test
    void claimWhenDueThenExactlyOneWinsAndAFailureBringsItBackAfterTheBackOff() {
        UUID id = held(Kind.HOLD, NOW.plusSeconds(60), null, null);
        assertThat(holds.due(NOW, 10)).isEmpty();
        Instant due = NOW.plusSeconds(60);
        assertThat(holds.due(due, 10)).containsExactly(id);

        assertThat(holds.claim(id, due, due.plusSeconds(120), "a")).isTrue();
        assertThat(holds.claim(id, due, due.plusSeconds(120), "b")).isFalse();
        assertThat(transfers.state(id)).contains(MessageState.RELEASING);
        assertThat(holds.cancel(id, "sender")).isFalse();
        assertThat(holds.due(due.plusSeconds(121), 10))
                .as("a claim that ran out")
                .containsExactly(id);

        holds.attemptFailed(id, due, due.plusSeconds(60));
        assertThat(holds.find(id).orElseThrow().attempts()).isEqualTo(1);
        assertThat(holds.due(due.plusSeconds(59), 10)).isEmpty();
        assertThat(holds.due(due.plusSeconds(60), 10)).containsExactly(id);
        assertThat(holds.failingSince(due, 10)).containsExactly(id);
        assertThat(holds.giveUp(id, "release-failed")).isTrue();
        assertThat(transfers.state(id)).contains(MessageState.FAILED);
        assertThat(holds.noticesDue(10)).containsExactly(id);
        assertThat(holds.noticeSent(id, "release-failed")).isTrue();
        assertThat(holds.noticesDue(10)).isEmpty();
    }

    @Test
    void decisionsWhenRacingThenOnlyTheAllowedTransitionWins() {
        UUID held = held(Kind.HOLD, NOW.plusSeconds(600), null, null);
        UUID approval = held(Kind.APPROVAL, null, NOW.plusSeconds(3600), NOW.plusSeconds(600));

        assertThat(holds.releaseNow(approval, NOW, "sender")).isFalse();
        assertThat(holds.approve(held, NOW, "boss")).isFalse();
        assertThat(holds.releaseNow(held, NOW, "sender")).isTrue();
        assertThat(holds.due(NOW, 10)).containsExactly(held);
        assertThat(holds.remindersDue(NOW.plusSeconds(600), 10)).containsExactly(approval);
        assertThat(holds.reminded(approval, NOW.plusSeconds(600), NOW.plusSeconds(1200)))
                .isTrue();
        assertThat(holds.reminded(approval, NOW.plusSeconds(600), NOW.plusSeconds(1200)))
                .isFalse();
        assertThat(holds.undecided(NOW.plusSeconds(3600), 10)).containsExactly(approval);
        assertThat(holds.findByApprovalToken(
                        "2" + approval.toString().replace("-", "").substring(1) + "0".repeat(32)))
                .map(Held::messageId)
                .contains(approval);

        assertThat(holds.reject(approval, "boss", "rejected")).isTrue();
        assertThat(holds.approve(approval, NOW, "boss")).isFalse();
        assertThat(holds.cancel(approval, "sender")).isFalse();
        assertThat(cleanup.abandoned(NOW, 10)).containsExactly(approval);
    }

    @Test
    void acceptedCopiesWhenRecordedTwiceThenKeptOnce() {
        UUID id = held(Kind.HOLD, NOW, null, null);

        holds.recordAccepted(id, "copy:hanako@partner.example", NOW);
        holds.recordAccepted(id, "copy:hanako@partner.example", NOW);
        holds.recordAccepted(id, "receipt", NOW);

        assertThat(holds.accepted(id)).containsExactlyInAnyOrder("copy:hanako@partner.example", "receipt");
    }

    @Test
    void mailedBeforeWhenADomainGotLinksInSentMailThenTrue() {
        UUID id = held(Kind.HOLD, NOW, null, null);
        assertThat(transfers.mailedBefore("partner.example")).isFalse();

        transfers.markState(id, MessageState.RELAYED);

        assertThat(transfers.mailedBefore("PARTNER.example")).isTrue();
        assertThat(transfers.mailedBefore("other.example")).isFalse();
    }

    @Test
    void selfCheckWhenUnconfirmedPastItsTimeThenCancelledWithANotice() {
        UUID id = held(Kind.SELF_CHECK, null, NOW.plusSeconds(60), null);
        assertThat(holds.due(NOW.plus(Duration.ofDays(9)), 10)).isEmpty();
        assertThat(holds.undecided(NOW.plusSeconds(60), 10)).containsExactly(id);

        assertThat(holds.expireSelfCheck(id, "expired")).isTrue();

        assertThat(transfers.state(id)).contains(MessageState.CANCELLED);
        assertThat(holds.find(id).orElseThrow().noticeDue()).isEqualTo("expired");
    }
}
