package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.common.RowIds;
import dev.todoke.gateway.HoldPolicy.Wait;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.relay.NextHop;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Holds.Kind;
import dev.todoke.transfer.Holds.NewHold;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import dev.todoke.transfer.Transfers.NewMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hold and approval (docs/hold-and-approval.md): asks the {@link HoldPolicy} whether this outbound mail
 * waits. If it does, the mail is made durable before the 250: the original bytes and a small context
 * (the tokens already promised, the recipients' decisions; {@link HoldContext}) go encrypted into the blob
 * store, then one database transaction records the {@code held_mail} row and moves the message to
 * {@code held} or {@code approval}. Then the sender gets the hold mail ({@code X-Todoke-Kind: hold}) with
 * the management page, and for approval the approver gets theirs ({@code approval}) with the approval
 * page; the pipeline ends ({@code DONE}, 250). The release later runs the steps after this one (see
 * {@link HeldRelease}). The hold mail shows each recipient's TLS verdict as known now; when one is still
 * unknown the row says so ({@code tls_pending}) and the scheduler sends one update ({@link
 * HoldTlsUpdates}).
 *
 * <p>Runs after the store step, so that held mail's files and links exist (the sender's page lists
 * them); also for mail that passes unchanged (no attachments), which gets a message row here. Thread-safe.
 * Failures: {@code StorageException}, {@code DataAccessException}, {@code SystemMailException}, {@link
 * IOException} (spool).
 */
final class HoldStep implements MailStep {

    private final HoldPolicy policy;
    private final BlobStore blobs;
    private final Transfers transfers;
    private final Holds holds;
    private final HoldMails mails;
    private final LinkTokens tokens;
    private final LinkProperties links;
    private final HoldProperties properties;
    private final NextHop nextHop;
    private final RecipientTls tls;
    private final TodokeProperties todoke;
    private final AuditLog audit;
    private final Clock clock;

    HoldStep(
            HoldPolicy policy,
            BlobStore blobs,
            Transfers transfers,
            Holds holds,
            HoldMails mails,
            LinkTokens tokens,
            LinkProperties links,
            HoldProperties properties,
            NextHop nextHop,
            RecipientTls tls,
            TodokeProperties todoke,
            AuditLog audit,
            Clock clock) {
        this.policy = policy;
        this.blobs = blobs;
        this.transfers = transfers;
        this.holds = holds;
        this.mails = mails;
        this.tokens = tokens;
        this.links = links;
        this.properties = properties;
        this.nextHop = nextHop;
        this.tls = tls;
        this.todoke = todoke;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Next apply(MailTransaction mail) throws IOException {
        Instant now = clock.instant();
        Optional<Wait> decided = policy.decide(mail, now);
        if (decided.isEmpty()) {
            return Next.CONTINUE;
        }
        Wait wait = decided.get();
        mail.startWriting();
        Envelope envelope = mail.envelope();
        String fingerprint = StoreStep.fingerprint(envelope, mail.spool());
        if (mail.recorded() == null) {
            if (transfers.findRelayed(fingerprint, now.minus(links.maxExpiry())).isPresent()) {
                return Next.DONE; // a retry of a transaction held before
            }
            recordWithoutFiles(mail, fingerprint, now);
        }
        Recorded recorded = mail.recorded();
        boolean tlsPending = TlsVerdictStep.fill(mail, tls, todoke);

        String approvalToken = wait.kind() == Kind.APPROVAL ? tokens.newToken() : null;
        HoldContext context = new HoldContext(
                recorded.manageToken(),
                approvalToken,
                mail.decisions(),
                recorded.linkTokens(),
                mail.isUnchanged(),
                mail.parsed() != null,
                mail.isForcedBcc(),
                mail.encryptedFiles());
        String original;
        try (InputStream in = Files.newInputStream(mail.spool())) {
            original = blobs.put(in).key();
        }
        String contextBlob;
        try {
            contextBlob = blobs.put(context.open()).key();
        } catch (RuntimeException e) {
            blobs.delete(original);
            throw e;
        }
        Instant decideBy = switch (wait.kind()) {
            case APPROVAL -> now.plus(properties.approval().timeout());
            case SELF_CHECK -> now.plus(properties.selfCheck().timeout());
            case HOLD -> null;
        };
        Instant remindAt = wait.kind() == Kind.APPROVAL
                        && properties
                                        .approval()
                                        .reminder()
                                        .compareTo(properties.approval().timeout())
                                < 0
                ? now.plus(properties.approval().reminder())
                : null;
        try {
            holds.hold(
                    new NewHold(
                            recorded.messageId(),
                            wait.kind(),
                            envelope.sender(),
                            envelope.recipients(),
                            envelope.clientAddress(),
                            fingerprint,
                            original,
                            contextBlob,
                            wait.reason(),
                            now,
                            wait.releaseAt(),
                            decideBy,
                            remindAt,
                            wait.approver(),
                            approvalToken == null ? null : LinkTokens.hash(approvalToken),
                            tlsPending),
                    wait.kind() == Kind.APPROVAL ? MessageState.APPROVAL : MessageState.HELD);
        } catch (RuntimeException e) {
            blobs.delete(original);
            blobs.delete(contextBlob);
            throw e;
        }
        audit.record(
                wait.kind() == Kind.APPROVAL ? "mail-approval-requested" : "mail-held",
                recorded.messageId(),
                null,
                envelope.sender(),
                envelope.clientAddress(),
                wait.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + wait.reason()
                        + (wait.approver() == null ? "" : ", approver " + wait.approver()));

        HoldMails.About about = about(mail, wait, decideBy);
        NextHop.Session session = mail.nextHopSession(nextHop);
        HoldMails.What toSender = switch (wait.kind()) {
            case HOLD -> HoldMails.What.HELD;
            case SELF_CHECK -> HoldMails.What.SELF_CHECK;
            case APPROVAL -> HoldMails.What.AWAITING_APPROVAL;
        };
        mails.send(session, toSender, envelope.sender(), about, "/s/" + recorded.manageToken());
        if (wait.kind() == Kind.APPROVAL) {
            mails.send(session, HoldMails.What.APPROVAL, wait.approver(), about, "/a/" + approvalToken);
        }
        return Next.DONE;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }

    private HoldMails.About about(MailTransaction mail, Wait wait, Instant decideBy) {
        Map<String, String> tls = new LinkedHashMap<>();
        for (String recipient : mail.envelope().recipients()) {
            RecipientPolicy.Outcome outcome = mail.decision(recipient);
            tls.put(recipient, outcome == null ? "" : outcome.tlsVerdict());
        }
        return new HoldMails.About(
                subjectOf(mail),
                tls,
                mail.recorded().files(),
                wait.releaseAt(),
                decideBy,
                wait.reason(),
                wait.approver(),
                mail.envelope().sender());
    }

    /** Mail that passed unchanged has no message row yet: one without files or links. */
    private void recordWithoutFiles(MailTransaction mail, String fingerprint, Instant now) {
        Envelope envelope = mail.envelope();
        String manageToken = tokens.newToken();
        UUID id = RowIds.next();
        Instant expiresAt = links.expiresAt(now);
        transfers.insert(
                new NewMessage(
                        id,
                        envelope.sender(),
                        mail.parsed() == null ? null : mail.parsed().from(),
                        subjectOf(mail),
                        mail.parsed() == null ? null : mail.parsed().messageId(),
                        fingerprint,
                        now,
                        expiresAt,
                        LinkTokens.hash(manageToken)),
                List.of(),
                List.of());
        mail.recorded(new Recorded(id, List.of(), expiresAt, manageToken, Map.of()));
    }

    /** The decoded Subject of mail that was not parsed (it passed unchanged), read from the top header only. */
    static String subjectOf(MailTransaction mail) {
        if (mail.parsed() != null) {
            return mail.parsed().subject();
        }
        try (InputStream in = Files.newInputStream(mail.spool())) {
            String raw = new InternetHeaders(in).getHeader("Subject", " ");
            return raw == null ? null : MimeUtility.decodeText(MimeUtility.unfold(raw));
        } catch (IOException | MessagingException e) {
            return null;
        }
    }
}
