package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.at;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the purger reads and marks in the transfer tables: messages that are due, their blob keys, and
 * {@code orphan_blob} rows. Every list is oldest first and at most {@code limit} long; every change is
 * conditional, so that several replicas may work through the same rows at once. Same SQL on H2 and
 * PostgreSQL. Thread-safe. Every failure is a Spring {@code DataAccessException}.
 */
@Repository
public class TransferCleanup {

    private final JdbcClient jdbc;

    public TransferCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Messages not yet purged whose expiry is at or before {@code now}; never held mail (held, awaiting
     * approval or being released: its links start at the release).
     */
    public List<UUID> expired(Instant now, int limit) {
        return ids(
                "select id from message where state not in ('purged', 'held', 'approval', 'releasing')"
                        + " and expires_at <= ? order by expires_at",
                now,
                limit);
    }

    /**
     * Messages still {@code failed} or {@code pending}, or {@code cancelled} or {@code rejected} held mail,
     * that were created at or before {@code cutoff}; never one whose next hop accepted a copy (its links
     * reached someone: it lives until it expires, and a retry of its mail goes on with it, ADR 0150).
     */
    public List<UUID> abandoned(Instant cutoff, int limit) {
        return ids(
                "select id from message where state in ('failed', 'pending', 'cancelled', 'rejected')"
                        + " and created_at <= ?"
                        + " and not exists (select 1 from copy_accepted c where c.message_id = message.id)"
                        + " order by created_at",
                cutoff,
                limit);
    }

    /** Relayed messages with links, every one of them revoked at or before {@code cutoff}. */
    public List<UUID> revoked(Instant cutoff, int limit) {
        return ids(
                "select m.id from message m where m.state = 'relayed'"
                        + " and exists (select 1 from link l where l.message_id = m.id)"
                        + " and not exists (select 1 from link l where l.message_id = m.id and (l.state <> 'revoked'"
                        + " or l.revoked_at is null or l.revoked_at > ?)) order by m.created_at",
                cutoff,
                limit);
    }

    /**
     * The blob keys of a message's files, of its held original and context when it was held, and of the
     * tokens of copies that were still on their way ({@code copy_retry}).
     */
    public List<String> blobKeys(UUID messageId) {
        return jdbc.sql("select blob_key from stored_file where message_id = ?"
                        + " union all select original_blob from held_mail where message_id = ?"
                        + " union all select context_blob from held_mail where message_id = ?"
                        + " union all select context_blob from copy_retry where message_id = ?"
                        + " and context_blob is not null")
                .params(messageId, messageId, messageId, messageId)
                .query(String.class)
                .list();
    }

    /** Marks a message purged; false when it already was (another replica finished it first). */
    public boolean markPurged(UUID messageId) {
        return jdbc.sql("update message set state = 'purged' where id = ? and state <> 'purged'")
                        .param(messageId)
                        .update()
                == 1;
    }

    /**
     * Purged messages whose expiry is at or before {@code expiredBefore}: their rows may now be deleted
     * ({@link #forget}). Oldest expiry first.
     */
    public List<UUID> forgettable(Instant expiredBefore, int limit) {
        return ids(
                "select id from message where state = 'purged' and expires_at <= ? order by expires_at",
                expiredBefore,
                limit);
    }

    /**
     * Deletes a purged message's rows: the message, its files, its links (with the recipients'
     * addresses), their passcodes, sessions and downloads (the schema cascades). False when it was not
     * there or not purged (another replica was first, or it was never purged: its blobs would be lost).
     */
    public boolean forget(UUID messageId) {
        return jdbc.sql("delete from message where id = ? and state = 'purged'")
                        .param(messageId)
                        .update()
                == 1;
    }

    /** Those of {@code messageIds} whose message rows still exist. */
    public Set<UUID> existing(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("select id from message where id in (:ids)")
                .param("ids", List.copyOf(Set.copyOf(messageIds)))
                .query(UUID.class)
                .list());
    }

    /** Orphan blob keys recorded at or before {@code cutoff}. */
    public List<String> orphans(Instant cutoff, int limit) {
        return jdbc.sql("select blob_key from orphan_blob where created_at <= ? order by created_at limit ?")
                .params(at(cutoff), limit)
                .query(String.class)
                .list();
    }

    /** True when a message that is not purged still names this blob. */
    public boolean inUse(String blobKey) {
        return jdbc.sql("select count(*) from stored_file f join message m on m.id = f.message_id"
                                + " where f.blob_key = ? and m.state <> 'purged'")
                        .param(blobKey)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Removes an orphan row (its blob is gone or in use). */
    public void forgetOrphan(String blobKey) {
        jdbc.sql("delete from orphan_blob where blob_key = ?").param(blobKey).update();
    }

    private List<UUID> ids(String select, Instant bound, int limit) {
        return jdbc.sql(select + " limit ?")
                .params(at(bound), limit)
                .query(UUID.class)
                .list();
    }
}
