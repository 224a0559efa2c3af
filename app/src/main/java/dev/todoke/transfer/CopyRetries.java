package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.at;
import static dev.todoke.transfer.Columns.instant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code copy_retry} rows (schema V12 and V14, ADRs 0150 and 0196): for a message whose copies are on
 * their way, the key of the mail it came from and the tokens its copies carry, encrypted ({@code context},
 * sealed by the caller; rows written before V14 name a blob instead, {@code context_blob}), so that a
 * retry of that mail after a crash or a failure sends only the copies the next hop has not accepted
 * ({@code copy_accepted}), with the same links. Tokens never come in as plaintext. Same SQL on H2 and
 * PostgreSQL. Thread-safe; every failure is a Spring {@code DataAccessException}.
 */
@Repository
public class CopyRetries {

    /**
     * A message a retry can go on with: some of its copies reached someone, others may not have.
     *
     * @param relayed whether every copy of its attempt went out
     * @param context the tokens its copies carry, sealed; null once every copy was accepted, and in rows
     *     written before V14
     * @param contextBlob the blob with those tokens in rows written before V14; null otherwise, and once
     *     every copy was accepted
     */
    public record Resumable(UUID messageId, boolean relayed, byte[] context, String contextBlob, Instant expiresAt) {

        /** Whether the tokens are still kept: some copy may not have been accepted yet. */
        public boolean keepsTokens() {
            return context != null || contextBlob != null;
        }
    }

    private final JdbcClient jdbc;

    public CopyRetries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Remembers that the copies of this message, made from the mail with this key, are on their way, with
     * the tokens they carry, sealed.
     */
    public void remember(UUID messageId, String messageKey, byte[] context, Instant at) {
        jdbc.sql("insert into copy_retry (message_id, message_key, context, created_at) values (?, ?, ?, ?)")
                .params(messageId, messageKey, context, at(at))
                .update();
    }

    /**
     * The messages made from the mail with this key, newest first and at most {@code limit}, not expired
     * at {@code now}, whose next hop accepted at least one copy (the upstream MTA may have split the
     * recipients over several transactions, each with its own message): {@code pending} or {@code failed} (a retry goes on with it) or {@code
     * relayed} (a retry may have nothing left to send). A message none of whose copies went out is not one
     * (a retry starts afresh and the purger collects it).
     */
    public List<Resumable> resumable(String messageKey, Instant now, int limit) {
        return jdbc.sql("select r.message_id, m.state, r.context, r.context_blob, m.expires_at from copy_retry r"
                        + " join message m on m.id = r.message_id"
                        + " where r.message_key = ? and m.state in ('pending', 'failed', 'relayed')"
                        + " and m.expires_at > ?"
                        + " and exists (select 1 from copy_accepted c where c.message_id = r.message_id)"
                        + " order by r.created_at desc limit ?")
                .params(messageKey, at(now), limit)
                .query((rs, n) -> new Resumable(
                        rs.getObject("message_id", UUID.class),
                        "relayed".equals(rs.getString("state")),
                        rs.getBytes("context"),
                        rs.getString("context_blob"),
                        instant(rs, "expires_at")))
                .list();
    }

    /** Takes a {@code failed} message back to {@code pending} while a retry goes on with it. */
    public boolean resume(UUID messageId) {
        return jdbc.sql("update message set state = 'pending' where id = ? and state in ('pending', 'failed')")
                        .param(messageId)
                        .update()
                == 1;
    }

    /** The sealed tokens of a message whose copies are on their way, while it keeps them. */
    public Optional<byte[]> context(UUID messageId) {
        return jdbc.sql("select context from copy_retry where message_id = ? and context is not null")
                .param(messageId)
                .query((rs, n) -> rs.getBytes(1))
                .optional();
    }

    /**
     * Forgets the tokens once every copy was accepted, in the transaction that marks the message relayed
     * (a blob of a row written before V14 is deleted after its commit, or recorded as an orphan); the key
     * stays until the message goes.
     */
    public void forgetContext(UUID messageId) {
        jdbc.sql("update copy_retry set context = null, context_blob = null where message_id = ?")
                .param(messageId)
                .update();
    }
}
