package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.link.LinkProperties;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.MimeRejectedException;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.OwnerOnly;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Holds.Held;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one held message that the caller has claimed ({@code releasing}): the original is read back from
 * the blob store into a spool file, the transaction rebuilt as the hold step left it (envelope, decisions,
 * the tokens already promised, forced BCC, findings; the message parsed again) and run through the steps
 * after the hold step ({@code release} pipeline: copies, relay, receipt, mark relayed), exactly as a fresh
 * mail would. The links' expiry starts at the release. Each copy the next hop accepts is recorded
 * ({@code copy_accepted}), and a release that is tried again skips those: a kill -9 in the middle sends at
 * most the one copy in flight twice. Not thread-safe per message (the claim makes sure only one caller
 * releases a message); thread-safe otherwise.
 */
final class HeldRelease {

    private static final Logger log = LoggerFactory.getLogger(HeldRelease.class);

    private final Holds holds;
    private final Transfers transfers;
    private final BlobStore blobs;
    private final MimeParser parser;
    private final MailPipeline afterHold;
    private final AttemptCleanup cleanup;
    private final LinkProperties links;
    private final AuditLog audit;
    private final Clock clock;
    private final Path spoolDir;

    HeldRelease(
            Holds holds,
            Transfers transfers,
            BlobStore blobs,
            MimeParser parser,
            MailPipeline afterHold,
            AttemptCleanup cleanup,
            LinkProperties links,
            TodokeProperties todoke,
            AuditLog audit,
            Clock clock) {
        this.holds = holds;
        this.transfers = transfers;
        this.blobs = blobs;
        this.parser = parser;
        this.afterHold = afterHold;
        this.cleanup = cleanup;
        this.links = links;
        this.audit = audit;
        this.clock = clock;
        this.spoolDir = todoke.dataDir().resolve("spool").resolve("held");
    }

    /**
     * Sends the message; returns normally once every copy and the receipt were accepted and the message is
     * {@code relayed}.
     *
     * @throws RelayException, IOException, MailRefusal, or a storage, database or system-mail exception:
     *     the attempt failed and is to be tried again
     */
    void release(UUID messageId) throws IOException, RelayException, MailRefusal {
        Held held = holds.find(messageId).orElseThrow(() -> new IllegalStateException("no held mail " + messageId));
        HoldContext context;
        try (InputStream in = blobs.open(held.contextBlob())) {
            context = HoldContext.read(in);
        }
        OwnerOnly.createDirectories(spoolDir);
        Path spool = Files.createTempFile(spoolDir, "held-", ".eml");
        MailTransaction mail = null;
        try {
            try (InputStream in = blobs.open(held.originalBlob())) {
                Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            }
            Envelope envelope = new Envelope(
                    held.envelopeFrom(),
                    held.recipients(),
                    held.clientAddress() == null ? "" : held.clientAddress(),
                    "held",
                    held.fingerprint() == null ? "" : held.fingerprint());
            mail = rebuild(messageId, envelope, spool, context);
            afterHold.run(mail);
            if (context.unchanged()) {
                transfers.markState(messageId, MessageState.RELAYED); // the last step runs for changed mail only
            }
            audit.record(
                    "mail-released",
                    messageId,
                    null,
                    held.envelopeFrom(),
                    null,
                    "after " + (held.attempts() + 1) + " attempt(s)"
                            + (held.decidedBy() == null ? "" : ", decided by " + held.decidedBy()));
            forgetHeldCopy(held);
        } finally {
            if (mail != null) {
                mail.closeNextHopSession();
                cleanup.releaseFiles(mail);
            }
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Deletes the held original and its context once the message is relayed: nothing reads them after a
     * release, and the context holds the link secrets, so a zero-knowledge message's guarantee starts
     * here (docs/zero-knowledge.md). A failure leaves them to the purger, which deletes them with the
     * message.
     */
    private void forgetHeldCopy(Held held) {
        try {
            blobs.delete(held.contextBlob());
            blobs.delete(held.originalBlob());
        } catch (RuntimeException e) {
            log.warn("Held copy of released message {} left to the purger: {}", held.messageId(), e.toString());
        }
    }

    private MailTransaction rebuild(UUID messageId, Envelope envelope, Path spool, HoldContext context)
            throws IOException, MailRefusal {
        MailTransaction mail = new MailTransaction(envelope, spool);
        mail.markOutbound();
        context.decisions().forEach(mail::decide);
        if (context.parsed()) {
            try {
                mail.parsed(parser.parse(spool));
            } catch (MimeRejectedException e) {
                throw new MailRefusal("5.6.0", "The held message cannot be parsed again", e.reason());
            }
        }
        if (context.forcedBcc()) {
            mail.forceBcc();
        }
        mail.encryptedFiles(context.encryptedFiles());
        if (context.unchanged()) {
            mail.passUnchanged();
        }
        Instant now = clock.instant();
        Instant expiresAt = links.expiresAt(now);
        transfers.setExpiry(messageId, expiresAt);
        mail.recorded(new Recorded(
                messageId, transfers.files(messageId), expiresAt, context.manageToken(), context.linkTokens()));
        mail.startWriting();
        mail.ledger(MessageLedger.read(holds, messageId, clock));
        return mail;
    }
}
