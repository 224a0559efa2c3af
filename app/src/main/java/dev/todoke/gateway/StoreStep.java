package dev.todoke.gateway;

import dev.todoke.common.RowIds;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.policy.Policies;
import dev.todoke.smtp.Envelope;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import dev.todoke.transfer.Transfers.NewLink;
import dev.todoke.transfer.Transfers.NewMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store and record: every attachment once into the blob store, then the message, its files and one link
 * per link recipient in one database transaction (state {@code pending}). A retry of a transaction that
 * was relayed completely before (same fingerprint) is done here: accepted without relaying again. A
 * retry of mail some of whose copies reached someone before (same {@link CopyRetry#messageKey}, whatever
 * the recipients' grouping) goes on with that attempt's message, its files and its links, instead of
 * storing anything ({@link CopyRetry#resume}). Thread-safe.
 *
 * <p>Failures: {@code StorageException}, {@code DataAccessException}, {@link IOException} (spool); the
 * blob keys written so far are in {@link MailTransaction#writtenBlobs()} for the cleanup.
 */
final class StoreStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(StoreStep.class);

    private final AttachmentStore attachments;
    private final Transfers transfers;
    private final LinkTokens tokens;
    private final LinkProperties links;
    private final CopyRetry retries;
    private final Clock clock;
    private final ZeroKnowledgeLinks zeroKnowledge;

    StoreStep(
            AttachmentStore attachments,
            Transfers transfers,
            LinkTokens tokens,
            LinkProperties links,
            CopyRetry retries,
            Clock clock) {
        this(attachments, transfers, tokens, links, retries, clock, ZeroKnowledgeLinks.OFF);
    }

    StoreStep(
            AttachmentStore attachments,
            Transfers transfers,
            LinkTokens tokens,
            LinkProperties links,
            CopyRetry retries,
            Clock clock,
            ZeroKnowledgeLinks zeroKnowledge) {
        this.attachments = attachments;
        this.retries = retries;
        this.transfers = transfers;
        this.tokens = tokens;
        this.links = links;
        this.clock = clock;
        this.zeroKnowledge = zeroKnowledge;
    }

    @Override
    public Next apply(MailTransaction mail) throws IOException {
        mail.startWriting();
        Envelope envelope = mail.envelope();
        Instant now = clock.instant();
        String messageKey = CopyRetry.messageKey(envelope, mail.spool());
        String fingerprint = fingerprint(envelope, messageKey);
        if (transfers.findRelayed(fingerprint, now.minus(links.maxExpiry())).isPresent()) {
            log.info(
                    "Retry of a message from <{}> that was relayed completely before: accepted without relaying again",
                    envelope.sender());
            return Next.DONE;
        }

        mail.retryKey(messageKey);
        switch (retries.resume(mail, messageKey, now)) {
            case RESUMED -> {
                return Next.CONTINUE;
            }
            case DONE -> {
                return Next.DONE;
            }
            case AFRESH -> {}
        }

        if (zeroKnowledge.appliesTo(mail)) {
            try (ZeroKnowledgeLinks.MessageKey key = zeroKnowledge.newMessageKey()) {
                return store(mail, now, fingerprint, key);
            }
        }
        return store(mail, now, fingerprint, null);
    }

    /** Stores and records the mail; with a message key (zero-knowledge mode) each link carries its secret. */
    private Next store(MailTransaction mail, Instant now, String fingerprint, ZeroKnowledgeLinks.MessageKey key)
            throws IOException {
        Envelope envelope = mail.envelope();
        ParsedMessage parsed = mail.parsed();
        List<StoredFile> stored = attachments.storeAll(
                parsed.attachments(), mail.writtenBlobs(), key == null ? null : key.dataKey(), mail.early());

        Policies.Expiry limits = mail.storedExpiry();
        Duration maxExpiry = limits.maxExpiry().orElse(links.maxExpiry());
        Duration expiry = limits.defaultExpiry().orElse(links.expiry());
        Instant expiresAt = now.plus(expiry.compareTo(maxExpiry) <= 0 ? expiry : maxExpiry);
        Instant maxExpiresAt = limits.maxExpiry().map(now::plus).orElse(null);
        String manageToken = tokens.newToken();
        Map<String, String> linkTokens = new LinkedHashMap<>();
        List<NewLink> linkRows = new ArrayList<>();
        for (String recipient : mail.recipientsWith(Decision.LINK)) {
            String token = tokens.newToken();
            UUID linkId = RowIds.next();
            linkTokens.put(recipient, key == null ? token : token + key.fragmentFor(linkId));
            linkRows.add(new NewLink(linkId, recipient, LinkTokens.hash(token)));
        }
        UUID id = RowIds.next();
        transfers.insert(
                new NewMessage(
                        id,
                        envelope.sender(),
                        parsed.from(),
                        parsed.subject(),
                        parsed.messageId(),
                        fingerprint,
                        now,
                        expiresAt,
                        LinkTokens.hash(manageToken),
                        maxExpiresAt),
                stored,
                linkRows);
        if (key != null) {
            key.record(id);
        }
        mail.recorded(new MailTransaction.Recorded(id, stored, expiresAt, manageToken, linkTokens));
        return Next.CONTINUE;
    }

    /**
     * The retry fingerprint: the listener's (computed while it spooled DATA) when it has one, otherwise
     * {@link Envelope#fingerprintOf} the envelope and the message key, the same value.
     */
    static String fingerprint(Envelope envelope, Path message) throws IOException {
        return envelope.fingerprint().isEmpty()
                ? Envelope.fingerprintOf(
                        envelope.sender(), envelope.recipients(), CopyRetry.messageKey(envelope, message))
                : envelope.fingerprint();
    }

    /** As {@link #fingerprint(Envelope, Path)}, with the message key already known. */
    private static String fingerprint(Envelope envelope, String messageKey) {
        return envelope.fingerprint().isEmpty()
                ? Envelope.fingerprintOf(envelope.sender(), envelope.recipients(), messageKey)
                : envelope.fingerprint();
    }
}
