package dev.todoke.purge;

import dev.todoke.audit.AuditLog;
import dev.todoke.transfer.TransferCleanup;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Personal data is not kept forever: {@code todoke.retention.after-expiry} (default 90 days) after a
 * message's expiry, once the purger has deleted its files, the message's rows go (metadata, file names,
 * links with the recipients' addresses, passcodes, sessions, downloads with client IPs). Audit events
 * go only as an oldest-first prefix: in id order, every event older than the cut-off, stopping at the
 * first one that is still needed (recorded after the cut-off, or about a message that is still kept).
 * The log that remains is therefore always a contiguous tail: each cut appends an {@code audit-anchor} row
 * carrying the last deleted row's chain value ({@link AuditLog#deleteThrough}, docs/adr/0085), so the audit
 * chain still verifies, and the run is recorded as a {@code retention} event naming the last id deleted.
 *
 * <p>Every step is conditional and idempotent, so several replicas may run it at once. Runs after the
 * purge on the purger's schedule. Failures are {@code DataAccessException}s; the next run retries.
 */
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final TransferCleanup rows;
    private final AuditLog audit;
    private final Clock clock;
    private final RetentionProperties retention;
    private final int batchSize;

    Retention(TransferCleanup rows, AuditLog audit, Clock clock, RetentionProperties retention, int batchSize) {
        this.rows = rows;
        this.audit = audit;
        this.clock = clock;
        this.retention = retention;
        this.batchSize = batchSize;
    }

    /** What one run deleted; {@code auditCutThrough} is the last audit id deleted, or 0. */
    record Report(int messages, int auditRows, long auditCutThrough) {}

    /** Runs once; for the scheduler: logs instead of throwing. */
    void runQuietly() {
        try {
            Report report = apply();
            if (report.messages() > 0 || report.auditRows() > 0) {
                log.info(
                        "Retention: deleted {} messages and {} audit events (through id {})",
                        report.messages(),
                        report.auditRows(),
                        report.auditCutThrough());
            }
        } catch (DataAccessException e) {
            log.warn("Retention run failed, will retry: {}", e.getMessage());
        }
    }

    /** One run over everything due now. */
    Report apply() {
        Instant cutoff = clock.instant().minus(retention.afterExpiry());
        int messages = forgetMessages(cutoff);
        int auditRows = 0;
        long cutThrough = 0;
        while (true) {
            List<AuditLog.Entry> oldest = audit.oldest(batchSize);
            long last = lastUnneeded(oldest, cutoff);
            if (last > 0) {
                auditRows += audit.deleteThrough(last, cutoff);
                cutThrough = last;
            }
            boolean stopped = oldest.isEmpty() || oldest.getLast().id() != last;
            if (stopped || oldest.size() < batchSize) {
                break;
            }
        }
        if (messages > 0 || auditRows > 0) {
            audit.record(
                    "retention",
                    null,
                    null,
                    null,
                    null,
                    messages + " message(s) expired before " + cutoff + " deleted; audit cut through id="
                            + cutThrough + " (" + auditRows + " event(s)); todoke.retention.after-expiry="
                            + retention.afterExpiry());
        }
        return new Report(messages, auditRows, cutThrough);
    }

    private int forgetMessages(Instant cutoff) {
        int forgotten = 0;
        while (true) {
            List<UUID> ids = rows.forgettable(cutoff, batchSize);
            for (UUID id : ids) {
                if (rows.forget(id)) {
                    forgotten++;
                }
            }
            if (ids.size() < batchSize) {
                return forgotten;
            }
        }
    }

    /** The id of the last event of the unneeded prefix of {@code oldest}, or 0 when its first is needed. */
    private long lastUnneeded(List<AuditLog.Entry> oldest, Instant cutoff) {
        Set<UUID> kept = rows.existing(oldest.stream()
                .map(AuditLog.Entry::messageId)
                .filter(Objects::nonNull)
                .toList());
        long last = 0;
        for (AuditLog.Entry entry : oldest) {
            boolean needed =
                    !entry.at().isBefore(cutoff) || (entry.messageId() != null && kept.contains(entry.messageId()));
            if (needed) {
                break;
            }
            last = entry.id();
        }
        return last;
    }
}
