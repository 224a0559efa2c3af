package dev.todoke.gateway;

import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed transaction leaves behind, made collectable: a recorded message is marked {@code
 * failed} (the purger deletes its files and rows), unless the next hop accepted some of its copies (its
 * links reached someone: it stays {@code pending}, the purger leaves it until it expires, and the retry
 * goes on with it, ADR 0150); blobs written before any row named them are deleted
 * now, or recorded as {@code orphan_blob} for the purger. Never throws: what cannot be cleaned is
 * logged (a {@code pending} message is collected by the purger anyway). Thread-safe.
 */
final class AttemptCleanup {

    private static final Logger log = LoggerFactory.getLogger(AttemptCleanup.class);

    private final Transfers transfers;
    private final BlobStore blobStore;
    private final Clock clock;

    AttemptCleanup(Transfers transfers, BlobStore blobStore, Clock clock) {
        this.transfers = transfers;
        this.blobStore = blobStore;
        this.clock = clock;
    }

    /**
     * After a failure: mark the recorded message failed (unless some copy went out), or forget the blobs
     * nothing names yet.
     */
    void afterFailure(MailTransaction mail) {
        MailTransaction.Recorded recorded = mail.recorded();
        if (recorded == null) {
            forgetBlobs(mail.writtenBlobs());
            return;
        }
        UUID id = recorded.messageId();
        if (mail.ledger().anyAccepted()) {
            log.info("Message {} reached some recipients: kept for the retry, which sends the other copies", id);
            return;
        }
        try {
            transfers.markState(id, MessageState.FAILED);
        } catch (RuntimeException e) {
            log.warn("Could not mark message {} failed (the purger collects it as pending): {}", id, e.toString());
        }
    }

    /**
     * Always, when the transaction is over: delete the copies it spooled, and the file the parser derived
     * from the spool (the content of opaque S/MIME signed-data).
     */
    void releaseFiles(MailTransaction mail) {
        if (mail.parsed() != null) {
            mail.parsed().close();
        }
        for (Path copy : mail.spooledCopies()) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                log.warn("Could not delete the spooled copy {}: {}", copy, e.toString());
            }
        }
    }

    /** Blobs written before any row named them: delete them now, or leave orphan rows for the purger. */
    private void forgetBlobs(List<String> written) {
        List<String> left = new ArrayList<>();
        for (String key : written) {
            try {
                blobStore.delete(key);
            } catch (RuntimeException e) {
                left.add(key);
            }
        }
        orphaned(left);
    }

    /** Blobs that nothing names and that could not be deleted: recorded for the purger. */
    void orphaned(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try {
            transfers.recordOrphans(keys, clock.instant());
        } catch (RuntimeException e) {
            log.error(
                    "Could neither delete nor record {} blob(s) of a failed attempt; delete them by hand: {}",
                    keys.size(),
                    keys);
        }
    }
}
