package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.NoticeTexts.FileLine;
import dev.todoke.gateway.NoticeTexts.Notice;
import dev.todoke.gateway.NoticeTexts.Receipt;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.SystemMail;
import dev.todoke.mail.SystemMailException;
import dev.todoke.mime.MessageRewriter;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.MimeRejectedException;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.mime.RewriteSpec;
import dev.todoke.mime.Security;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import dev.todoke.smtp.MailFilter;
import dev.todoke.smtp.SmtpRejection;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import dev.todoke.transfer.Transfers.NewLink;
import dev.todoke.transfer.Transfers.NewMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The gateway: what happens to one mail transaction between DATA and the reply (see docs/gateway.md).
 *
 * <ol>
 *   <li>Mail sealed by Todoke itself passes unchanged (loop safety).
 *   <li>Parse; mail that cannot be parsed safely is refused 554 5.6.0 and audited.
 *   <li>Ask the {@link RecipientPolicy} per recipient. Without attachments or without recipients who
 *       get links, the original goes to everyone in one transaction.
 *   <li>Store every attachment once (encrypted blob store), then the message, its files and one link
 *       per link recipient in one database transaction.
 *   <li>Write one copy per link recipient with the notice in place of the attachments.
 *   <li>Relay: the original to pass-through recipients in one transaction, each copy in its own.
 *   <li>Send the receipt to the envelope sender, mark the message relayed, return (250).
 * </ol>
 *
 * Any failure of storage, database or next hop answers 451 and leaves what the attempt wrote marked for
 * the purger (message state {@code failed}, or {@code orphan_blob} rows). This class is the one place
 * that maps pipeline failures to SMTP replies. Thread-safe.
 */
@Component
class GatewayFilter implements MailFilter {

    private static final Logger log = LoggerFactory.getLogger(GatewayFilter.class);

    private final MimeParser parser;
    private final MessageRewriter rewriter;
    private final RecipientPolicy policy;
    private final AttachmentStore attachments;
    private final BlobStore blobStore;
    private final Transfers repository;
    private final NextHop nextHop;
    private final SystemMail systemMail;
    private final MailSeal seal;
    private final LinkTokens tokens;
    private final AuditLog audit;
    private final TodokeProperties todoke;
    private final LinkProperties links;
    private final GatewayProperties properties;
    private final Clock clock;
    private final Path copies;

    GatewayFilter(
            MimeParser parser,
            RecipientPolicy policy,
            BlobStore blobStore,
            Transfers repository,
            NextHop nextHop,
            SystemMail systemMail,
            MailSeal seal,
            LinkTokens tokens,
            AuditLog audit,
            TodokeProperties todoke,
            LinkProperties links,
            GatewayProperties properties,
            Clock clock,
            SecureRandom random) {
        this.parser = parser;
        this.rewriter = new MessageRewriter(random);
        this.policy = policy;
        this.attachments = new AttachmentStore(blobStore);
        this.blobStore = blobStore;
        this.repository = repository;
        this.nextHop = nextHop;
        this.systemMail = systemMail;
        this.seal = seal;
        this.tokens = tokens;
        this.audit = audit;
        this.todoke = todoke;
        this.links = links;
        this.properties = properties;
        this.clock = clock;
        this.copies = todoke.dataDir().resolve("spool").resolve("copies");
    }

    @Override
    public void process(Envelope envelope, Path message) throws SmtpRejection {
        MessageContent original = MessageContent.of(message);
        try {
            if (seal.verify(original).isPresent()) {
                log.debug("Sealed Todoke mail from <{}> passes unchanged", envelope.sender());
                relayUnchanged(envelope, original);
                return;
            }
        } catch (IOException e) {
            throw SmtpRejection.temporary("Could not read the message, try again later", e);
        }

        Map<String, RecipientPolicy.Outcome> decisions = new LinkedHashMap<>();
        for (String recipient : envelope.recipients()) {
            RecipientPolicy.Outcome outcome = policy.explain(recipient);
            if (outcome.decision() == Decision.REFUSE) {
                String why = outcome.rule().isEmpty() ? "" : ": " + outcome.rule();
                throw refuse(
                        envelope,
                        new SmtpRejection(554, "5.7.1", "Delivery to " + recipient + " is refused by policy" + why),
                        "policy refuses " + recipient + why);
            }
            decisions.put(recipient, outcome);
        }
        List<String> linked = recipientsWith(decisions, Decision.LINK);
        if (linked.isEmpty()) {
            relayUnchanged(envelope, original);
            return;
        }

        ParsedMessage parsed;
        try {
            parsed = parser.parse(message);
        } catch (MimeRejectedException e) {
            throw refuse(envelope, new SmtpRejection(554, "5.6.0", properties.refusal(e.reason())), e.reason());
        } catch (IOException e) {
            throw SmtpRejection.temporary("Could not read the message, try again later", e);
        }
        if (parsed.security() == Security.ENCRYPTED) {
            if (properties.encrypted() == GatewayProperties.Encrypted.REFUSE) {
                throw refuse(
                        envelope,
                        new SmtpRejection(554, "5.7.0", properties.encryptedRefusalText()),
                        "encrypted mail refused");
            }
            relayUnchanged(envelope, original);
            return;
        }
        if (!parsed.hasAttachments()) {
            relayUnchanged(envelope, original);
            return;
        }
        if (parsed.security() == Security.SIGNED && properties.signed() == GatewayProperties.Signed.REFUSE) {
            throw refuse(
                    envelope,
                    new SmtpRejection(554, "5.7.0", properties.signedRefusalText()),
                    "signed mail with attachments refused");
        }
        new Attempt(envelope, message, parsed, decisions, linked).run();
    }

    /** One transaction's way through store, database, copies and relay, with what to clean up on failure. */
    private final class Attempt {

        private final Envelope envelope;
        private final Path message;
        private final ParsedMessage parsed;
        private final List<String> linked;
        private final List<String> passThrough;
        private final Map<String, RecipientPolicy.Outcome> decisions;
        private final List<String> writtenBlobs = new ArrayList<>();
        private final List<Path> copyFiles = new ArrayList<>();
        private UUID messageId;

        Attempt(
                Envelope envelope,
                Path message,
                ParsedMessage parsed,
                Map<String, RecipientPolicy.Outcome> decisions,
                List<String> linked) {
            this.envelope = envelope;
            this.message = message;
            this.parsed = parsed;
            this.linked = linked;
            this.passThrough = recipientsWith(decisions, Decision.PASS_THROUGH);
            this.decisions = decisions;
        }

        void run() throws SmtpRejection {
            try {
                process();
            } catch (StorageException e) {
                throw fail("Storage unavailable, try again later", e);
            } catch (DataAccessException e) {
                throw fail("Database unavailable, try again later", e);
            } catch (RelayException e) {
                throw fail("Next hop unavailable, try again later", e);
            } catch (SystemMailException e) {
                throw fail("Could not send the receipt, try again later", e);
            } catch (IOException e) {
                throw fail("Could not read or write the message spool, try again later", e);
            } catch (RuntimeException e) {
                throw fail("Temporary failure, try again later", e);
            } finally {
                for (Path copy : copyFiles) {
                    try {
                        Files.deleteIfExists(copy);
                    } catch (IOException e) {
                        log.warn("Could not delete the spooled copy {}: {}", copy, e.toString());
                    }
                }
            }
        }

        private void process() throws IOException, RelayException {
            Instant now = clock.instant();
            String fingerprint = fingerprint(envelope, message);
            if (repository
                    .findRelayed(fingerprint, now.minus(links.maxExpiry()))
                    .isPresent()) {
                log.info(
                        "Retry of a message from <{}> that was relayed completely before: accepted without relaying again",
                        envelope.sender());
                return;
            }

            List<StoredFile> stored = attachments.storeAll(parsed.attachments(), writtenBlobs);

            Instant expiresAt = links.expiresAt(now);
            String manageToken = tokens.newToken();
            Map<String, String> linkTokens = new LinkedHashMap<>();
            List<NewLink> linkRows = new ArrayList<>();
            for (String recipient : linked) {
                String token = tokens.newToken();
                linkTokens.put(recipient, token);
                linkRows.add(new NewLink(UUID.randomUUID(), recipient, LinkTokens.hash(token)));
            }
            UUID id = UUID.randomUUID();
            repository.insert(
                    new NewMessage(
                            id,
                            envelope.sender(),
                            parsed.from(),
                            parsed.subject(),
                            parsed.messageId(),
                            fingerprint,
                            now,
                            expiresAt,
                            LinkTokens.hash(manageToken)),
                    stored,
                    linkRows);
            messageId = id;

            List<FileLine> files =
                    stored.stream().map(s -> new FileLine(s.name(), s.size())).toList();
            String sender = senderForPeople();
            Map<String, MessageContent> copiesByRecipient = new LinkedHashMap<>();
            for (String recipient : linked) {
                Notice notice = new Notice(
                        sender,
                        recipient,
                        files,
                        expiresAt,
                        todoke.link("/d/" + linkTokens.get(recipient)),
                        parsed.security() == Security.SIGNED,
                        decisions.get(recipient).rule());
                copiesByRecipient.put(recipient, writeCopy(notice));
            }

            if (!passThrough.isEmpty()) {
                nextHop.send(envelope.sender(), passThrough, MessageContent.of(message));
            }
            for (Map.Entry<String, MessageContent> copy : copiesByRecipient.entrySet()) {
                nextHop.send(envelope.sender(), List.of(copy.getKey()), copy.getValue());
            }

            if (!envelope.sender().isEmpty()) {
                Map<String, String> tls = new LinkedHashMap<>();
                decisions.forEach((recipient, outcome) -> tls.put(recipient, outcome.tlsVerdict()));
                Receipt receipt = new Receipt(
                        parsed.subject(), linked, passThrough, files, expiresAt, todoke.link("/s/" + manageToken), tls);
                systemMail.send(
                        "receipt",
                        envelope.sender(),
                        NoticeTexts.receiptSubject(parsed.subject()),
                        NoticeTexts.receiptText(receipt),
                        NoticeTexts.receiptHtml(receipt));
            }
            repository.markState(id, MessageState.RELAYED);
            audit.record(
                    "mail-linked",
                    id,
                    null,
                    envelope.sender(),
                    envelope.clientAddress(),
                    stored.size() + " file(s) linked for " + linked.size() + " recipient(s), " + passThrough.size()
                            + " unchanged");
        }

        private MessageContent writeCopy(Notice notice) throws IOException {
            Files.createDirectories(copies);
            Path file = Files.createTempFile(copies, "copy-", ".eml");
            copyFiles.add(file);
            RewriteSpec spec = new RewriteSpec(
                    NoticeTexts.noticeText(notice),
                    NoticeTexts.noticeHtml(notice),
                    List.of(SystemMail.KIND_HEADER + ": notice"),
                    MailSeal::isTodokeHeader);
            try (OutputStream out = Files.newOutputStream(file)) {
                rewriter.write(parsed, spec, out);
            }
            return seal.seal("notice", MessageContent.of(file));
        }

        private String senderForPeople() {
            String from = parsed.from();
            if (from != null && !from.isBlank()) {
                return from;
            }
            return envelope.sender().isEmpty() ? "(unknown)" : envelope.sender();
        }

        private SmtpRejection fail(String text, Exception cause) {
            log.warn("451 for a message from <{}>: {} ({})", envelope.sender(), text, cause.toString());
            if (messageId != null) {
                try {
                    repository.markState(messageId, MessageState.FAILED);
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not mark message {} failed (the purger collects it as pending): {}",
                            messageId,
                            e.toString());
                }
            } else {
                forgetBlobs();
            }
            return SmtpRejection.temporary(text, cause);
        }

        /** Blobs written before any row named them: delete them now, or leave orphan rows for the purger. */
        private void forgetBlobs() {
            List<String> left = new ArrayList<>();
            for (String key : writtenBlobs) {
                try {
                    blobStore.delete(key);
                } catch (RuntimeException e) {
                    left.add(key);
                }
            }
            if (left.isEmpty()) {
                return;
            }
            try {
                repository.recordOrphans(left, clock.instant());
            } catch (RuntimeException e) {
                log.error(
                        "Could neither delete nor record {} blob(s) of a failed attempt; delete them by hand: {}",
                        left.size(),
                        left);
            }
        }
    }

    private void relayUnchanged(Envelope envelope, MessageContent original) throws SmtpRejection {
        try {
            nextHop.send(envelope.sender(), envelope.recipients(), original);
        } catch (RelayException e) {
            log.warn("451 for a message from <{}>: next hop unavailable ({})", envelope.sender(), e.toString());
            throw SmtpRejection.temporary("Next hop unavailable, try again later", e);
        }
    }

    private SmtpRejection refuse(Envelope envelope, SmtpRejection rejection, String reason) throws SmtpRejection {
        try {
            audit.record(
                    "mail-refused", null, null, envelope.sender(), envelope.clientAddress(), rejection.replyLine());
        } catch (RuntimeException e) {
            log.warn(
                    "Could not audit the refusal of a message from <{}> ({}): {}",
                    envelope.sender(),
                    reason,
                    e.toString());
            throw SmtpRejection.temporary("Database unavailable, try again later", e);
        }
        return rejection;
    }

    private static List<String> recipientsWith(Map<String, RecipientPolicy.Outcome> decisions, Decision decision) {
        return decisions.entrySet().stream()
                .filter(e -> e.getValue().decision() == decision)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** SHA-256 over the envelope and the raw bytes: the same transaction retried has the same fingerprint. */
    static String fingerprint(Envelope envelope, Path message) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        digest.update(("from " + envelope.sender() + "\n").getBytes(StandardCharsets.UTF_8));
        for (String recipient : envelope.recipients()) {
            digest.update(("to " + recipient + "\n").getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(message)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
