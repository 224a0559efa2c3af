package dev.todoke.gateway;

import dev.todoke.gateway.NoticeTexts.FileLine;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.policy.Policies;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.smtp.Envelope;
import dev.todoke.transfer.StoredFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One mail transaction on its way through the {@link MailStep}s: the envelope and the spooled bytes,
 * and what the steps learn and write as they go (per-recipient decisions, the parsed message, what was
 * stored and recorded, the per-recipient copies) together with what a failure leaves to clean up.
 *
 * <p>Confined to the one thread that runs the pipeline; not thread-safe. The spool file belongs to the
 * SMTP listener; the spooled copies belong to this transaction and are deleted by {@link GatewayFilter}
 * when it is over, which also closes the next-hop session the relay and the receipt shared.
 */
final class MailTransaction {

    /**
     * What the store step recorded: the {@code message} row's id and what the copies and the receipt
     * need.
     *
     * @param linkTokens each link recipient's link token (only its hash is stored), in the zero-knowledge
     *     mode followed by the link's key fragment {@code #k=...} (never stored in clear)
     */
    record Recorded(
            UUID messageId,
            List<StoredFile> files,
            Instant expiresAt,
            String manageToken,
            Map<String, String> linkTokens) {

        Recorded {
            files = List.copyOf(files);
            linkTokens = Collections.unmodifiableMap(new LinkedHashMap<>(linkTokens));
        }

        /** The files as the notice and the receipt name them. */
        List<FileLine> fileLines() {
            return files.stream().map(s -> new FileLine(s.name(), s.size())).toList();
        }
    }

    /**
     * A recipient that a rule added to the envelope ({@link AutoAddStep}), as a Bcc: no header names it.
     *
     * @param original whether it receives the original with its attachments, whatever the policy says
     * @param rule the rule that added it, e.g. {@code todoke.recipients.auto-add[0]}
     */
    record AddedRecipient(String address, boolean original, String rule) {}

    private Envelope envelope;
    private final Map<String, AddedRecipient> added = new LinkedHashMap<>();
    private final Path spool;
    private final Map<String, Outcome> decisions = new LinkedHashMap<>();
    private final List<String> writtenBlobs = new ArrayList<>();
    private EarlyStore early;
    private final Map<String, MessageContent> copies = new LinkedHashMap<>();
    private final List<Path> spooledCopies = new ArrayList<>();
    private ParsedMessage parsed;
    private boolean unchanged;
    private boolean forcedBcc;
    private boolean writing;
    private Recorded recorded;
    private NextHop.Session nextHopSession;
    private List<String> encryptedFiles = List.of();
    private final InspectionReport inspection = new InspectionReport();
    private Policies.Expiry storedExpiry = Policies.Expiry.NONE;
    private boolean outbound;
    private final List<String> approvalReasons = new ArrayList<>();
    private CopyLedger ledger = CopyLedger.NONE;
    private String retryKey;
    private String legacyTokenBlob;

    MailTransaction(Envelope envelope, Path spool) {
        this.envelope = envelope;
        this.spool = spool;
    }

    /** The envelope: as received, plus any recipients {@link AutoAddStep} added. */
    Envelope envelope() {
        return envelope;
    }

    /** Adds a recipient to the envelope (the fingerprint stays that of the envelope as received; the key). */
    void addRecipient(AddedRecipient recipient) {
        List<String> recipients = new ArrayList<>(envelope.recipients());
        recipients.add(recipient.address());
        envelope = new Envelope(
                envelope.sender(),
                recipients,
                envelope.clientAddress(),
                envelope.heloName(),
                envelope.fingerprint(),
                envelope.messageKey());
        added.put(recipient.address(), recipient);
    }

    /** The recipients a rule added, in the order they were added. */
    List<AddedRecipient> addedRecipients() {
        return List.copyOf(added.values());
    }

    /** The rule that added this recipient, if one did. */
    AddedRecipient added(String recipient) {
        return added.get(recipient);
    }

    /** The raw message as received; never changed. */
    Path spool() {
        return spool;
    }

    /** The raw message as something to relay. */
    MessageContent original() {
        return MessageContent.of(spool);
    }

    void decide(String recipient, Outcome outcome) {
        decisions.put(recipient, outcome);
    }

    /** Every recipient's decision, in envelope order. */
    Map<String, Outcome> decisions() {
        return Collections.unmodifiableMap(decisions);
    }

    Outcome decision(String recipient) {
        return decisions.get(recipient);
    }

    /** The recipients with this decision, in envelope order. */
    List<String> recipientsWith(Decision decision) {
        return decisions.entrySet().stream()
                .filter(e -> e.getValue().decision() == decision)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The parsed message; null before the parse step. */
    ParsedMessage parsed() {
        return parsed;
    }

    void parsed(ParsedMessage message) {
        this.parsed = message;
    }

    /** Marks the mail as passed unchanged to every recipient (set by the pipeline). */
    void passUnchanged() {
        this.unchanged = true;
    }

    boolean isUnchanged() {
        return unchanged;
    }

    /** Marks the mail for forced BCC: each external recipient gets a copy whose header shows only them. */
    void forceBcc() {
        this.forcedBcc = true;
    }

    boolean isForcedBcc() {
        return forcedBcc;
    }

    /** Marks that this transaction starts writing: from here on a failure may leave work to clean up. */
    void startWriting() {
        this.writing = true;
    }

    boolean isWriting() {
        return writing;
    }

    /** The blobs stored while DATA arrived (ADR 0198), or null. */
    EarlyStore early() {
        return early;
    }

    void early(EarlyStore early) {
        this.early = early;
    }

    /** The keys of blobs written so far; a writer adds each as soon as its blob exists. */
    List<String> writtenBlobs() {
        return writtenBlobs;
    }

    void recorded(Recorded what) {
        this.recorded = what;
    }

    /** What was recorded in the database; null before (or without) the store step. */
    Recorded recorded() {
        return recorded;
    }

    /** The expiry limits the stored policies set for this mail (recipient policy step). */
    void storedExpiry(Policies.Expiry expiry) {
        this.storedExpiry = expiry;
    }

    Policies.Expiry storedExpiry() {
        return storedExpiry;
    }

    /** The names of the password-protected files the receipt warns about (inspection step). */
    void encryptedFiles(List<String> names) {
        this.encryptedFiles = List.copyOf(names);
    }

    /** The password-protected files to name in the receipt; empty when none or not to be named. */
    List<String> encryptedFiles() {
        return encryptedFiles;
    }

    /** Marks the mail as outbound (set by the direction step): only outbound mail is ever held. */
    void markOutbound() {
        this.outbound = true;
    }

    boolean isOutbound() {
        return outbound;
    }

    /** A finding that sends the mail to approval (for example a password-protected file under {@code hold}). */
    void requireApproval(String reason) {
        approvalReasons.add(reason);
    }

    /** Why an earlier step asks for approval; empty when none does. */
    List<String> approvalReasons() {
        return Collections.unmodifiableList(approvalReasons);
    }

    /**
     * Where the relay and the receipt record each accepted copy (a release of held mail, fresh mail with
     * links); none by default.
     */
    void ledger(CopyLedger ledger) {
        this.ledger = ledger;
    }

    CopyLedger ledger() {
        return ledger;
    }

    /** The key of this mail across the upstream MTA's retries ({@link CopyRetry#messageKey}; store step). */
    void retryKey(String key) {
        this.retryKey = key;
    }

    /** The key of this mail across retries; null before the store step, and for held or unchanged mail. */
    String retryKey() {
        return retryKey;
    }

    /**
     * The blob that keeps the tokens this mail's copies carry until each is accepted ({@link CopyRetry}),
     * for an earlier attempt whose {@code copy_retry} row was written before V14 (later rows keep them
     * themselves).
     */
    void legacyTokenBlob(String blob) {
        this.legacyTokenBlob = blob;
    }

    /** The blob of {@link #legacyTokenBlob(String)}; null when there is none. */
    String legacyTokenBlob() {
        return legacyTokenBlob;
    }

    /** What the inspection steps found for the receipt (personal data, limits, files not scanned). */
    InspectionReport inspection() {
        return inspection;
    }

    /** A recipient's own copy, in the order the copies are written. */
    void addCopy(String recipient, MessageContent copy) {
        copies.put(recipient, copy);
    }

    Map<String, MessageContent> copies() {
        return Collections.unmodifiableMap(copies);
    }

    /** A spool file this transaction wrote (a copy); deleted when the transaction is over. */
    void addSpooledCopy(Path file) {
        spooledCopies.add(file);
    }

    List<Path> spooledCopies() {
        return Collections.unmodifiableList(spooledCopies);
    }

    /**
     * The one next-hop session of this transaction, opened from {@code nextHop} when first asked for:
     * the copies and the receipt go over one connection.
     */
    NextHop.Session nextHopSession(NextHop nextHop) {
        if (nextHopSession == null) {
            nextHopSession = nextHop.session();
        }
        return nextHopSession;
    }

    /** Ends the next-hop session if one was opened; never throws. */
    void closeNextHopSession() {
        if (nextHopSession != null) {
            nextHopSession.close();
            nextHopSession = null;
        }
    }
}
