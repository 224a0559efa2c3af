package dev.todoke.purge;

import dev.todoke.audit.AuditLog;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.transfer.TransferCleanup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Deletes blobs nobody may read any more, then marks their rows:
 *
 * <ol>
 *   <li>messages past {@code expires_at}: their files' blobs are deleted, the message becomes {@code
 *       purged} (rows stay, so the sender's page can still show what was sent);
 *   <li>messages {@code failed}, or still {@code pending}, for longer than the grace period: the
 *       leftovers of an SMTP attempt that answered 4xx; same treatment;
 *   <li>messages whose every link was revoked longer than the grace period ago (the grace leaves
 *       room to undo a mistaken revocation): same treatment;
 *   <li>rows of {@code orphan_blob} older than the grace period: the blob, then the row (a blob that a
 *       live message's file still names is kept).
 * </ol>
 *
 * <p>Blobs go first, rows after, so a crash in between only repeats work. Every step is idempotent
 * (deleting a missing blob is fine, updates are conditional), so several replicas may run it at the
 * same time. A blob that cannot be deleted now (storage down) leaves its message for the next run. The
 * rows are read and marked through {@link TransferCleanup}. Each scheduled run ends with {@link
 * Retention}, which deletes the rows of purged messages long after their expiry.
 */
class Purger {

    private static final Logger log = LoggerFactory.getLogger(Purger.class);

    private final TransferCleanup rows;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final Clock clock;
    private final PurgeProperties properties;
    private final Retention retention;

    Purger(
            TransferCleanup rows,
            BlobStore blobs,
            AuditLog audit,
            Clock clock,
            PurgeProperties properties,
            Retention retention) {
        this.rows = rows;
        this.blobs = blobs;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
        this.retention = retention;
    }

    /** What one run did. */
    record Report(int expired, int abandoned, int revoked, int orphans, int blobsDeleted, int failures) {

        static final Report NONE = new Report(0, 0, 0, 0, 0, 0);

        Report plus(Report o) {
            return new Report(
                    expired + o.expired,
                    abandoned + o.abandoned,
                    revoked + o.revoked,
                    orphans + o.orphans,
                    blobsDeleted + o.blobsDeleted,
                    failures + o.failures);
        }

        boolean nothing() {
            return equals(NONE);
        }
    }

    /**
     * Runs once, then {@link Retention}; for the scheduler: logs instead of throwing (a failed purge
     * reports one failure).
     */
    Report runQuietly() {
        Report report;
        try {
            report = purge();
            if (!report.nothing()) {
                log.info(
                        "Purged {} expired, {} abandoned and {} revoked messages, {} orphan blobs ({} blobs deleted, {}"
                                + " failures)",
                        report.expired(),
                        report.abandoned(),
                        report.revoked(),
                        report.orphans(),
                        report.blobsDeleted(),
                        report.failures());
            }
        } catch (DataAccessException | StorageException e) {
            log.warn("Purge run failed, will retry: {}", e.getMessage());
            report = new Report(0, 0, 0, 0, 0, 1);
        }
        retention.runQuietly();
        return report;
    }

    /** One run over everything that is due now. */
    Report purge() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(properties.grace());
        Report report = Report.NONE;
        report = report.plus(purgeMessages(rows::expired, now, "expired"));
        report = report.plus(purgeMessages(rows::abandoned, cutoff, "abandoned"));
        report = report.plus(purgeMessages(rows::revoked, cutoff, "revoked"));
        return report.plus(purgeOrphans(cutoff));
    }

    /** One of {@link TransferCleanup}'s queries for due messages. */
    private interface Due {
        List<UUID> ids(Instant bound, int limit);
    }

    private Report purgeMessages(Due due, Instant bound, String reason) {
        Report report = Report.NONE;
        List<UUID> failed = new ArrayList<>();
        while (true) {
            List<UUID> ids = due.ids(bound, properties.batchSize()).stream()
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
        List<String> keys = rows.blobKeys(id);
        int deleted = 0;
        for (String key : keys) {
            try {
                blobs.delete(key);
                deleted++;
            } catch (StorageException e) {
                log.warn("Cannot delete blob of message {} yet: {}", id, e.getMessage());
                return new Report(0, 0, 0, 0, deleted, 1);
            }
        }
        if (!rows.markPurged(id)) {
            return new Report(0, 0, 0, 0, deleted, 0); // another replica finished it first
        }
        audit.record("files-purged", id, null, null, null, reason + ": " + keys.size() + " file(s) deleted");
        return switch (reason) {
            case "expired" -> new Report(1, 0, 0, 0, deleted, 0);
            case "revoked" -> new Report(0, 0, 1, 0, deleted, 0);
            default -> new Report(0, 1, 0, 0, deleted, 0);
        };
    }

    private Report purgeOrphans(Instant cutoff) {
        Report report = Report.NONE;
        while (true) {
            List<String> keys = rows.orphans(cutoff, properties.batchSize());
            int failures = 0;
            for (String key : keys) {
                boolean inUse = rows.inUse(key);
                try {
                    if (!inUse) {
                        blobs.delete(key);
                    }
                } catch (StorageException e) {
                    log.warn("Cannot delete orphan blob yet: {}", e.getMessage());
                    failures++;
                    continue;
                }
                rows.forgetOrphan(key);
                report = report.plus(new Report(0, 0, 0, 1, inUse ? 0 : 1, 0));
            }
            report = report.plus(new Report(0, 0, 0, 0, 0, failures));
            if (keys.size() < properties.batchSize() || failures > 0) {
                return report;
            }
        }
    }
}
