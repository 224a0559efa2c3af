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
 * The {@code copy_retry} rows (schema V12, ADR 0150): for a message whose copies are on their way, the key
 * of the mail it came from and the blob with the tokens its copies carry, so that a retry of that mail
 * after a crash or a failure sends only the copies the next hop has not accepted ({@code copy_accepted}),
 * with the same links. Tokens never come in: only the key of their encrypted blob. Same SQL on H2 and
 * PostgreSQL. Thread-safe; every failure is a Spring {@code DataAccessException}.
 */
@Repository
public class CopyRetries {

    /**
     * A message a retry can go on with: some of its copies reached someone, others may not have.
     *
     * @param relayed whether every copy of its attempt went out
     * @param contextBlob the blob with the tokens its copies carry; null once every copy was accepted
     */
    public record Resumable(UUID messageId, boolean relayed, String contextBlob, Instant expiresAt) {}

    private final JdbcClient jdbc;

    public CopyRetries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Remembers that the copies of this message, made from the mail with this key, are on their way. */
    public void remember(UUID messageId, String messageKey, String contextBlob, Instant at) {
        jdbc.sql("insert into copy_retry (message_id, message_key, context_blob, created_at) values (?, ?, ?, ?)")
                .params(messageId, messageKey, contextBlob, at(at))
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
        return jdbc.sql("select r.message_id, m.state, r.context_blob, m.expires_at from copy_retry r"
                        + " join message m on m.id = r.message_id"
                        + " where r.message_key = ? and m.state in ('pending', 'failed', 'relayed')"
                        + " and m.expires_at > ?"
                        + " and exists (select 1 from copy_accepted c where c.message_id = r.message_id)"
                        + " order by r.created_at desc limit ?")
                .params(messageKey, at(now), limit)
                .query((rs, n) -> new Resumable(
                        rs.getObject("message_id", UUID.class),
                        "relayed".equals(rs.getString("state")),
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

    /** The tokens blob of a message whose copies were on their way, if it still has one. */
    public Optional<String> contextBlob(UUID messageId) {
        return jdbc.sql("select context_blob from copy_retry where message_id = ? and context_blob is not null")
                .param(messageId)
                .query(String.class)
                .optional();
    }

    /**
     * Forgets the tokens blob once every copy was accepted, in the transaction that marks the message
     * relayed (the blob is deleted after its commit, or recorded as an orphan); the key stays until the
     * message goes.
     */
    public void forgetContext(UUID messageId) {
        jdbc.sql("update copy_retry set context_blob = null where message_id = ?")
                .param(messageId)
                .update();
    }
}
