package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.at;
import static dev.todoke.transfer.Columns.cut;
import static dev.todoke.transfer.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The rows of held mail (schema V7, docs/hold-and-approval.md): one {@code held_mail} row per message
 * that waits for its release time, an approver or its sender, and the {@code copy_accepted} rows of a
 * release. Every state change is one conditional statement (or two in one transaction), so that the
 * sender, the approver and every replica's scheduler may race for the same message and exactly one
 * wins. Tokens never come in: only their hashes. Same SQL on H2 and PostgreSQL. Thread-safe; every
 * failure is a Spring {@code DataAccessException}.
 */
@Repository
public class Holds {

    private static final String COLUMNS = "h.message_id, h.kind, h.envelope_from, h.recipients, h.client_address,"
            + " h.fingerprint, h.original_blob, h.context_blob, h.reason, h.held_at, h.release_at, h.decide_by,"
            + " h.remind_at, h.approver, h.attempts, h.next_attempt_at, h.first_failure_at, h.notice_due,"
            + " h.decided_by, m.state as message_state";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;

    public Holds(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Why a message waits. */
    public enum Kind {
        /** Until {@code release_at}; the sender may cancel or send now. */
        HOLD,
        /** Until an approver approves or rejects it. */
        APPROVAL,
        /** Until the sender confirms it (send now); never released by time. */
        SELF_CHECK;

        String column() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind ofColumn(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * A held message as first written.
     *
     * @param tlsPending the hold mail listed a recipient whose TLS verdict was not known yet
     */
    public record NewHold(
            UUID messageId,
            Kind kind,
            String envelopeFrom,
            List<String> recipients,
            String clientAddress,
            String fingerprint,
            String originalBlob,
            String contextBlob,
            String reason,
            Instant heldAt,
            Instant releaseAt,
            Instant decideBy,
            Instant remindAt,
            String approver,
            String approvalTokenHash,
            boolean tlsPending) {}

    /** A held message as read back, with its message's state. */
    public record Held(
            UUID messageId,
            Kind kind,
            String envelopeFrom,
            List<String> recipients,
            String clientAddress,
            String fingerprint,
            String originalBlob,
            String contextBlob,
            String reason,
            Instant heldAt,
            Instant releaseAt,
            Instant decideBy,
            Instant remindAt,
            String approver,
            int attempts,
            Instant nextAttemptAt,
            Instant firstFailureAt,
            String noticeDue,
            String decidedBy,
            MessageState state) {}

    /**
     * Records a held message and moves its {@code message} row (written {@code pending} just before) to
     * {@code state} ({@code HELD} or {@code APPROVAL}), in one database transaction.
     */
    public void hold(NewHold hold, MessageState state) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("insert into held_mail (message_id, kind, envelope_from, recipients, client_address, fingerprint,"
                            + " original_blob, context_blob, reason, held_at, release_at, decide_by, remind_at,"
                            + " approver, approval_token_hash, tls_pending)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            hold.messageId(),
                            hold.kind().column(),
                            cut(hold.envelopeFrom(), 512),
                            String.join("\n", hold.recipients()),
                            cut(hold.clientAddress(), 64),
                            hold.fingerprint(),
                            hold.originalBlob(),
                            hold.contextBlob(),
                            cut(hold.reason(), 1000),
                            at(hold.heldAt()),
                            atOrNull(hold.releaseAt()),
                            atOrNull(hold.decideBy()),
                            atOrNull(hold.remindAt()),
                            cut(hold.approver(), 512),
                            hold.approvalTokenHash(),
                            hold.tlsPending())
                    .update();
            int moved = jdbc.sql("update message set state = ? where id = ? and state = 'pending'")
                    .params(state.column(), hold.messageId())
                    .update();
            if (moved != 1) {
                throw new IllegalStateException("message " + hold.messageId() + " is not pending");
            }
        });
    }

    public Optional<Held> find(UUID messageId) {
        return findWhere("h.message_id = ?", messageId);
    }

    /** The held message whose approval token has this hash. */
    public Optional<Held> findByApprovalToken(String tokenHash) {
        return findWhere("h.approval_token_hash = ?", tokenHash);
    }

    /** The one held message (with its message's state) that {@code condition} on held_mail h picks. */
    private Optional<Held> findWhere(String condition, Object param) {
        return jdbc.sql("select " + COLUMNS + " from held_mail h join message m on m.id = h.message_id where "
                        + condition)
                .param(param)
                .query(Holds::held)
                .optional();
    }

    // --- the sender and the approver ------------------------------------------------------------------

    /** Held or awaiting approval, and not being sent now: becomes {@code cancelled}. */
    public boolean cancel(UUID messageId, String by) {
        return decide(messageId, "state in ('held', 'approval')", MessageState.CANCELLED, by, null);
    }

    /** Held (not awaiting approval): its release time becomes {@code now}. */
    public boolean releaseNow(UUID messageId, Instant now, String by) {
        return transactions.execute(status -> {
            int moved = jdbc.sql("update message set state = 'held' where id = ? and state = 'held'")
                    .param(messageId)
                    .update();
            if (moved != 1) {
                return false;
            }
            jdbc.sql("update held_mail set release_at = ?, next_attempt_at = null, decided_by = ?"
                            + " where message_id = ?")
                    .params(at(now), cut(by, 512), messageId)
                    .update();
            return true;
        });
    }

    /** Awaiting approval: becomes {@code held} with its release time {@code now}. */
    public boolean approve(UUID messageId, Instant now, String by) {
        return decide(messageId, "state = 'approval'", MessageState.HELD, by, now);
    }

    /** Awaiting approval: becomes {@code rejected}; the sender's notice is due. */
    public boolean reject(UUID messageId, String by, String notice) {
        return transactions.execute(status -> {
            if (!decide(messageId, "state = 'approval'", MessageState.REJECTED, by, null)) {
                return false;
            }
            noticeDue(messageId, notice);
            return true;
        });
    }

    private boolean decide(UUID messageId, String condition, MessageState to, String by, Instant releaseAt) {
        return transactions.execute(status -> {
            int moved = jdbc.sql("update message set state = ? where id = ? and " + condition)
                    .params(to.column(), messageId)
                    .update();
            if (moved != 1) {
                return false;
            }
            jdbc.sql("update held_mail set decided_by = ? where message_id = ?")
                    .params(cut(by, 512), messageId)
                    .update();
            if (releaseAt != null) {
                jdbc.sql("update held_mail set release_at = ?, next_attempt_at = null where message_id = ?")
                        .params(at(releaseAt), messageId)
                        .update();
            }
            return true;
        });
    }

    // --- the scheduler --------------------------------------------------------------------------------

    /**
     * Messages to release now: held, past their release time and their next attempt, or left {@code
     * releasing} by a replica whose claim ran out (it died while sending).
     */
    public List<UUID> due(Instant now, int limit) {
        return jdbc.sql("select h.message_id from held_mail h join message m on m.id = h.message_id"
                        + " where (m.state = 'held' and h.release_at <= ?"
                        + " and (h.next_attempt_at is null or h.next_attempt_at <= ?))"
                        + " or (m.state = 'releasing' and h.claimed_until <= ?)"
                        + " order by h.release_at limit ?")
                .params(at(now), at(now), at(now), limit)
                .query(UUID.class)
                .list();
    }

    /**
     * Takes a message for sending until {@code until}: held (and due) or releasing with a claim that ran
     * out becomes {@code releasing}, claimed by {@code owner}. Exactly one caller wins.
     */
    public boolean claim(UUID messageId, Instant now, Instant until, String owner) {
        return transactions.execute(status -> {
            int claimed = jdbc.sql("update held_mail set claimed_until = ?, claimed_by = ? where message_id = ?"
                            + " and (claimed_until is null or claimed_until <= ?)")
                    .params(at(until), cut(owner, 255), messageId, at(now))
                    .update();
            if (claimed != 1) {
                return false;
            }
            int moved = jdbc.sql("update message set state = 'releasing' where id = ?"
                            + " and state in ('held', 'releasing')")
                    .param(messageId)
                    .update();
            if (moved != 1) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        });
    }

    /** A release attempt failed: back to {@code held}, tried again at {@code nextAttempt}. */
    public void attemptFailed(UUID messageId, Instant now, Instant nextAttempt) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("update held_mail set attempts = attempts + 1, next_attempt_at = ?,"
                            + " first_failure_at = coalesce(first_failure_at, ?), claimed_until = null,"
                            + " claimed_by = null where message_id = ?")
                    .params(at(nextAttempt), at(now), messageId)
                    .update();
            jdbc.sql("update message set state = 'held' where id = ? and state = 'releasing'")
                    .param(messageId)
                    .update();
        });
    }

    /** Releasing messages that have kept failing since {@code before}: to give up on. */
    public List<UUID> failingSince(Instant before, int limit) {
        return jdbc.sql("select h.message_id from held_mail h join message m on m.id = h.message_id"
                        + " where m.state = 'held' and h.first_failure_at <= ? and h.notice_due is null"
                        + " order by h.first_failure_at limit ?")
                .params(at(before), limit)
                .query(UUID.class)
                .list();
    }

    /** Gives up a held message whose release keeps failing: {@code failed}, the sender's notice due. */
    public boolean giveUp(UUID messageId, String notice) {
        return transactions.execute(status -> {
            int moved = jdbc.sql("update message set state = 'failed' where id = ? and state = 'held'")
                    .param(messageId)
                    .update();
            if (moved != 1) {
                return false;
            }
            noticeDue(messageId, notice);
            return true;
        });
    }

    /** Awaiting approval (or self-check) past {@code decide_by}. */
    public List<UUID> undecided(Instant now, int limit) {
        return jdbc.sql("select h.message_id from held_mail h join message m on m.id = h.message_id"
                        + " where ((m.state = 'approval') or (m.state = 'held' and h.kind = 'self-check'"
                        + " and h.release_at is null)) and h.decide_by <= ? order by h.decide_by limit ?")
                .params(at(now), limit)
                .query(UUID.class)
                .list();
    }

    /** Self-check mail past its time: {@code cancelled}, the sender's notice due. */
    public boolean expireSelfCheck(UUID messageId, String notice) {
        return transactions.execute(status -> {
            int moved = jdbc.sql("update message set state = 'cancelled' where id = ? and state = 'held'"
                            + " and exists (select 1 from held_mail h where h.message_id = ? and h.release_at is null)")
                    .params(messageId, messageId)
                    .update();
            if (moved != 1) {
                return false;
            }
            noticeDue(messageId, notice);
            return true;
        });
    }

    /** Awaiting approval with a reminder due. */
    public List<UUID> remindersDue(Instant now, int limit) {
        return jdbc.sql("select h.message_id from held_mail h join message m on m.id = h.message_id"
                        + " where m.state = 'approval' and h.remind_at <= ? order by h.remind_at limit ?")
                .params(at(now), limit)
                .query(UUID.class)
                .list();
    }

    /** Moves the next reminder (null: no more); false when another replica moved it first. */
    public boolean reminded(UUID messageId, Instant was, Instant next) {
        return jdbc.sql("update held_mail set remind_at = ? where message_id = ? and remind_at = ?")
                        .params(atOrNull(next), messageId, at(was))
                        .update()
                == 1;
    }

    /** Messages with a notice to their sender still to send. */
    public List<UUID> noticesDue(int limit) {
        return jdbc.sql("select message_id from held_mail where notice_due is not null limit ?")
                .param(limit)
                .query(UUID.class)
                .list();
    }

    /** Clears a notice once it was sent; false when another replica cleared it first. */
    public boolean noticeSent(UUID messageId, String notice) {
        return jdbc.sql("update held_mail set notice_due = null where message_id = ? and notice_due = ?")
                        .params(messageId, notice)
                        .update()
                == 1;
    }

    /**
     * Held or approval mail whose hold mail listed a recipient with its TLS verdict still unknown (the
     * sender gets one update when the verdicts are known).
     */
    public List<UUID> tlsPending(int limit) {
        return jdbc.sql("select h.message_id from held_mail h join message m on m.id = h.message_id"
                        + " where h.tls_pending = true and m.state in ('held', 'approval') order by h.held_at limit ?")
                .param(limit)
                .query(UUID.class)
                .list();
    }

    /** Clears the TLS update of a message (sent or given up); false when another replica cleared it first. */
    public boolean tlsUpdated(UUID messageId) {
        return jdbc.sql("update held_mail set tls_pending = false where message_id = ? and tls_pending = true")
                        .param(messageId)
                        .update()
                == 1;
    }

    private void noticeDue(UUID messageId, String notice) {
        jdbc.sql("update held_mail set notice_due = ? where message_id = ?")
                .params(notice, messageId)
                .update();
    }

    // --- the copies of a release ----------------------------------------------------------------------

    /** The copies of this message the next hop has accepted (kill -9 safety). */
    public Set<String> accepted(UUID messageId) {
        return Set.copyOf(jdbc.sql("select copy_key from copy_accepted where message_id = ?")
                .param(messageId)
                .query(String.class)
                .list());
    }

    /** Records that the next hop accepted one copy. */
    public void recordAccepted(UUID messageId, String copyKey, Instant at) {
        try {
            jdbc.sql("insert into copy_accepted (message_id, copy_key, accepted_at) values (?, ?, ?)")
                    .params(messageId, cut(copyKey, 600), at(at))
                    .update();
        } catch (DuplicateKeyException already) {
            // recorded by an earlier attempt
        }
    }

    private static Held held(ResultSet rs, int row) throws SQLException {
        String recipients = rs.getString("recipients");
        return new Held(
                rs.getObject("message_id", UUID.class),
                Kind.ofColumn(rs.getString("kind")),
                rs.getString("envelope_from"),
                recipients.isEmpty() ? List.of() : Arrays.asList(recipients.split("\n")),
                rs.getString("client_address"),
                rs.getString("fingerprint"),
                rs.getString("original_blob"),
                rs.getString("context_blob"),
                rs.getString("reason"),
                instant(rs, "held_at"),
                instant(rs, "release_at"),
                instant(rs, "decide_by"),
                instant(rs, "remind_at"),
                rs.getString("approver"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                instant(rs, "first_failure_at"),
                rs.getString("notice_due"),
                rs.getString("decided_by"),
                MessageState.ofColumn(rs.getString("message_state")));
    }

    private static Object atOrNull(Instant instant) {
        return instant == null ? null : at(instant);
    }
}
