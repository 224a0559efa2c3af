package dev.todoke.gateway;

import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.SealedValues;
import dev.todoke.transfer.CopyRetries;
import dev.todoke.transfer.CopyRetries.Resumable;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Transfers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copy per recipient across crashes for fresh mail (ADR 0150). Before its copies go out, a message
 * keeps the tokens they carry ({@link HoldContext}) encrypted in its row in {@code copy_retry}
 * ({@link SealedValues}, the message id bound to them, ADR 0196; older rows name a blob of the encrypted
 * blob store instead), under the key of the mail ({@link #messageKey}); each copy the next hop accepts is
 * recorded ({@link MessageLedger}). When the upstream MTA retries the mail after a crash or a 451, and
 * some copies of the earlier attempt reached someone, the retry goes on with that message: same files,
 * same links, and only the copies not accepted yet. Once every copy was accepted the tokens go (the row,
 * without them, stays with the message: a later retry of the whole mail, its recipients grouped
 * otherwise, finds nothing left to send). Thread-safe.
 */
final class CopyRetry {

    private static final Logger log = LoggerFactory.getLogger(CopyRetry.class);

    /** Earlier messages of one mail looked at: the upstream MTA's recipient limit splits big lists. */
    private static final int CANDIDATES = 20;

    private final CopyRetries rows;
    private final Holds ledgerRows;
    private final BlobStore blobs;
    private final SealedValues sealed;
    private final Transfers transfers;
    private final Clock clock;

    CopyRetry(
            CopyRetries rows,
            Holds ledgerRows,
            BlobStore blobs,
            SealedValues sealed,
            Transfers transfers,
            Clock clock) {
        this.rows = rows;
        this.ledgerRows = ledgerRows;
        this.blobs = blobs;
        this.sealed = sealed;
        this.transfers = transfers;
        this.clock = clock;
    }

    /**
     * The key of a mail across retries ({@link Envelope#startMessageKey}): SHA-256 (hex) over the envelope
     * sender and the raw bytes, without the recipients, which the upstream MTA may group otherwise on a
     * retry. The listener's (computed while it spooled DATA) when it has one, otherwise read from the spool.
     */
    static String messageKey(Envelope envelope, Path spool) throws IOException {
        if (!envelope.messageKey().isEmpty()) {
            return envelope.messageKey();
        }
        MessageDigest digest = Envelope.startMessageKey(envelope.sender());
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(spool)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What a transaction does after {@link #resume}. */
    enum Resume {
        /** No earlier attempt reached anyone (or none covers this one): store and send afresh. */
        AFRESH,
        /** Goes on with the earlier attempt's message: its files, its links, only the copies not accepted. */
        RESUMED,
        /** Every recipient of this transaction got its copy before: nothing to send. */
        DONE
    }

    /**
     * Goes on with the message an earlier attempt of this mail left, when some of its copies reached
     * someone and it has a link for every link recipient of this attempt: the transaction gets that
     * message's files and tokens and its ledger. When that message went out completely and every recipient
     * of this transaction got its copy, there is nothing to do.
     */
    Resume resume(MailTransaction mail, String messageKey, Instant now) throws IOException {
        for (Resumable earlier : rows.resumable(messageKey, now, CANDIDATES)) {
            MessageLedger ledger = MessageLedger.read(ledgerRows, earlier.messageId(), clock);
            if (earlier.relayed() || !earlier.keepsTokens()) {
                if (mail.envelope().recipients().stream()
                        .allMatch(
                                r -> ledger.accepted(CopyLedger.copy(r)) || ledger.accepted(CopyLedger.original(r)))) {
                    log.info(
                            "Retry of a message from <{}> that every recipient received before: accepted without"
                                    + " relaying again",
                            mail.envelope().sender());
                    return Resume.DONE;
                }
            } else if (goOn(mail, earlier, ledger)) {
                log.info(
                        "Retry of a message from <{}> that reached some recipients before: only the other copies go"
                                + " out",
                        mail.envelope().sender());
                return Resume.RESUMED;
            }
        }
        return Resume.AFRESH;
    }

    /** Goes on with this earlier message when it has a link for every link recipient of this attempt. */
    private boolean goOn(MailTransaction mail, Resumable earlier, MessageLedger ledger) throws IOException {
        UUID id = earlier.messageId();
        HoldContext context;
        try (InputStream in = earlier.context() != null
                ? new ByteArrayInputStream(sealed.open(earlier.context(), id.toString()))
                : blobs.open(earlier.contextBlob())) {
            context = HoldContext.read(in);
        }
        if (!context.linkTokens().keySet().containsAll(mail.recipientsWith(Decision.LINK)) || !rows.resume(id)) {
            return false;
        }
        mail.recorded(new Recorded(
                id, transfers.files(id), earlier.expiresAt(), context.manageToken(), context.linkTokens()));
        mail.ledger(ledger);
        mail.legacyTokenBlob(earlier.contextBlob());
        return true;
    }

    /**
     * Keeps the tokens of a message just recorded until its copies were accepted, and gives the
     * transaction the ledger where each acceptance is recorded.
     */
    void remember(MailTransaction mail, String messageKey) {
        Recorded recorded = mail.recorded();
        HoldContext context = new HoldContext(
                recorded.manageToken(),
                null,
                mail.decisions(),
                recorded.linkTokens(),
                false,
                true,
                mail.isForcedBcc(),
                mail.encryptedFiles());
        UUID id = recorded.messageId();
        rows.remember(id, messageKey, sealed.seal(context.write(), id.toString()), clock.instant());
        mail.ledger(MessageLedger.empty(ledgerRows, id, clock));
    }

    /**
     * Every copy was accepted: forgets the tokens kept for this message (none for held mail), in the caller's
     * database transaction (the one that marks the message relayed); returns the key of the blob that held
     * them in a row written before V14, for {@link #delete} after the commit, or null.
     */
    String detach(MailTransaction mail) {
        rows.forgetContext(mail.recorded().messageId());
        return mail.legacyTokenBlob();
    }

    /**
     * Deletes a blob {@link #detach} unnamed. Never throws: what cannot be deleted now goes to the purger's
     * orphan list.
     */
    void delete(String blob) {
        if (blob == null) {
            return;
        }
        try {
            blobs.delete(blob);
        } catch (RuntimeException e) {
            log.warn("Copy tokens {} left to the purger: {}", blob, e.toString());
            transfers.recordOrphans(List.of(blob), clock.instant());
        }
    }
}
