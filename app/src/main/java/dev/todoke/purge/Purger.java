package dev.todoke.purge;

import dev.todoke.audit.AuditLog;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes blobs nobody may read any more, then marks their rows:
 *
 * <ol>
 *   <li>messages past {@code expires_at}: their files' blobs are deleted, the message becomes {@code
 *       purged} (rows stay, so the sender's page can still show what was sent);
 *   <li>messages {@code failed}, or still {@code pending}, for longer than the grace period: the
 *       leftovers of an SMTP attempt that answered 4xx; same treatment;
 *   <li>rows of {@code orphan_blob} older than the grace period: the blob, then the row (a blob that a
 *       live message's file still names is kept).
 * </ol>
 *
 * <p>Blobs go first, rows after, so a crash in between only repeats work. Every step is idempotent
 * (deleting a missing blob is fine, updates are conditional), so several replicas may run it at the
 * same time. A blob that cannot be deleted now (storage down) leaves its message for the next run.
 */
class Purger {

    private static final Logger log = LoggerFactory.getLogger(Purger.class);

    private final JdbcClient jdbc;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final Clock clock;
    private final PurgeProperties properties;

    Purger(JdbcClient jdbc, BlobStore blobs, AuditLog audit, Clock clock, PurgeProperties properties) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    /** What one run did. */
    record Report(int expired, int abandoned, int orphans, int blobsDeleted, int failures) {

        Report plus(Report o) {
            return new Report(
                    expired + o.expired,
                    abandoned + o.abandoned,
                    orphans + o.orphans,
                    blobsDeleted + o.blobsDeleted,
                    failures + o.failures);
        }

        boolean nothing() {
            return expired + abandoned + orphans + blobsDeleted + failures == 0;
        }
    }

    /** Runs once; for the scheduler: logs instead of throwing. */
    void runQuietly() {
        try {
            Report report = purge();
            if (!report.nothing()) {
                log.info(
                        "Purged {} expired and {} abandoned messages, {} orphan blobs ({} blobs deleted, {} failures)",
                        report.expired(),
                        report.abandoned(),
                        report.orphans(),
                        report.blobsDeleted(),
                        report.failures());
            }
        } catch (DataAccessException | StorageException e) {
            log.warn("Purge run failed, will retry: {}", e.getMessage());
        }
    }

    /** One run over everything that is due now. */
    Report purge() {
        Instant now = clock.instant();
        Timestamp nowTs = Timestamp.from(now);
        Timestamp cutoff = Timestamp.from(now.minus(properties.grace()));
        Report report = new Report(0, 0, 0, 0, 0);
        report = report.plus(purgeMessages(
                "select id from message where state <> 'purged' and expires_at <= ? order by expires_at",
                nowTs,
                "expired"));
        report = report.plus(purgeMessages(
                "select id from message where state in ('failed', 'pending') and created_at <= ? order by created_at",
                cutoff,
                "abandoned"));
        return report.plus(purgeOrphans(cutoff));
    }

    private Report purgeMessages(String select, Timestamp bound, String reason) {
        Report report = new Report(0, 0, 0, 0, 0);
        List<UUID> failed = new java.util.ArrayList<>();
        while (true) {
            List<UUID> ids =
                    jdbc.sql(select + " limit " + properties.batchSize()).param(bound).query(UUID.class).list().stream()
                            .filter(id -> !failed.contains(id))
                            .toList();
            if (ids.isEmpty()) {
                return report;
            }
            for (UUID id : ids) {
                Report one = purgeMessage(id, reason);
                if (one.failures() > 0) {
                    failed.add(id);
                }
                report = report.plus(one);
            }
            if (ids.size() < properties.batchSize() && failed.isEmpty()) {
                return report;
            }
            if (failed.size() >= properties.batchSize()) {
                return report; // storage is failing: leave the rest for the next run
            }
        }
    }

    private Report purgeMessage(UUID id, String reason) {
        List<String> keys = jdbc.sql("select blob_key from stored_file where message_id = ?")
                .param(id)
                .query(String.class)
                .list();
        int deleted = 0;
        for (String key : keys) {
            try {
                blobs.delete(key);
                deleted++;
            } catch (StorageException e) {
                log.warn("Cannot delete blob of message {} yet: {}", id, e.getMessage());
                return new Report(0, 0, 0, deleted, 1);
            }
        }
        int updated = jdbc.sql("update message set state = 'purged' where id = ? and state <> 'purged'")
                .param(id)
                .update();
        if (updated == 0) {
            return new Report(0, 0, 0, deleted, 0); // another replica finished it first
        }
        audit.record("files-purged", id, null, null, null, reason + ": " + keys.size() + " file(s) deleted");
        return "expired".equals(reason) ? new Report(1, 0, 0, deleted, 0) : new Report(0, 1, 0, deleted, 0);
    }

    private Report purgeOrphans(Timestamp cutoff) {
        Report report = new Report(0, 0, 0, 0, 0);
        while (true) {
            List<String> keys = jdbc.sql(
                            "select blob_key from orphan_blob where created_at <= ? order by created_at limit "
                                    + properties.batchSize())
                    .param(cutoff)
                    .query(String.class)
                    .list();
            int failures = 0;
            for (String key : keys) {
                boolean inUse = jdbc.sql("select count(*) from stored_file f join message m on m.id = f.message_id"
                                        + " where f.blob_key = ? and m.state <> 'purged'")
                                .param(key)
                                .query(Long.class)
                                .single()
                        > 0;
                try {
                    if (!inUse) {
                        blobs.delete(key);
                    }
                } catch (StorageException e) {
                    log.warn("Cannot delete orphan blob yet: {}", e.getMessage());
                    failures++;
                    continue;
                }
                jdbc.sql("delete from orphan_blob where blob_key = ?")
                        .param(key)
                        .update();
                report = report.plus(new Report(0, 0, 1, inUse ? 0 : 1, 0));
            }
            report = report.plus(new Report(0, 0, 0, 0, failures));
            if (keys.size() < properties.batchSize() || failures > 0) {
                return report;
            }
        }
    }
}
