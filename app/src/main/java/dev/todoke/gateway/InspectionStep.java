package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.InspectionProperties.Action;
import dev.todoke.inspection.EncryptedFiles;
import dev.todoke.inspection.EncryptedFiles.ArchiveLimits;
import dev.todoke.inspection.EncryptedFiles.Limit;
import dev.todoke.inspection.EncryptedFiles.Verdict;
import dev.todoke.mime.Attachment;
import dev.todoke.smtp.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks inside every attachment for password protection (PPAP: encrypted ZIP, 7z, RAR, PDF, Office
 * files, also inside a ZIP), one file after another as a bounded stream, and acts on {@code
 * todoke.inspection.encrypted-files}: {@code refuse} answers 554 5.7.1 naming the files by number (and
 * by name only when it is plain ASCII); {@code warn} records the files for the receipt; {@code hold}
 * does too and sends the mail to approval ({@link HoldStep}); {@code log} only audits. Every finding is audited ({@code
 * encrypted-file}, with the count, no names). The same pass bounds what is decompressed: an archive that
 * breaks a limit ({@code todoke.inspection.max-expanded-size}, {@code max-ratio}, {@code max-depth}) is
 * acted on by {@code todoke.inspection.archive-limits} (audit event {@code archive-limit}; refuse by
 * default). Thread-safe. Failure: a spool error while reading is an
 * {@link IOException}; an audit failure is the database's exception.
 */
final class InspectionStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(InspectionStep.class);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,59}");

    private final InspectionProperties properties;
    private final EncryptedFiles detector;
    private final AuditLog audit;

    InspectionStep(InspectionProperties properties, AuditLog audit) {
        this.properties = properties;
        this.detector = new EncryptedFiles(
                properties.maxScanSize().toBytes(),
                properties.scanTimeout(),
                new ArchiveLimits(
                        properties.maxExpandedSize().toBytes(), properties.maxRatio(), properties.maxDepth()));
        this.audit = audit;
    }

    /**
     * @throws MailRefusal 5.7.1 when a password-protected file is found, or an archive breaks a
     *     decompression limit, and the policy is refuse
     */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal, IOException {
        Action action = properties.encryptedFiles();
        Action limits = properties.archiveLimits();
        if (action == Action.OFF && limits == Action.OFF) {
            return Next.CONTINUE;
        }
        List<Attachment> found = new ArrayList<>();
        Map<Attachment, Limit> overLimits = new LinkedHashMap<>();
        for (Attachment attachment : mail.parsed().attachments()) {
            try (InputStream in = attachment.openDecoded()) {
                Verdict verdict = detector.inspect(in);
                if (verdict.encrypted().isPresent()) {
                    found.add(attachment);
                }
                verdict.exceeded().ifPresent(limit -> overLimits.put(attachment, limit));
            }
        }
        if (limits != Action.OFF && !overLimits.isEmpty()) {
            archiveLimits(mail, limits, overLimits);
        }
        if (action == Action.OFF || found.isEmpty()) {
            return Next.CONTINUE;
        }
        Envelope envelope = mail.envelope();
        String what =
                found.size() + " password-protected file(s), " + action.name().toLowerCase(Locale.ROOT);
        audit.record("encrypted-file", null, null, envelope.sender(), envelope.clientAddress(), what);
        log.info("Inspection: {} from client {}", what, envelope.clientAddress());
        switch (action) {
            case REFUSE -> throw new MailRefusal("5.7.1", refusalText(found), "password-protected file refused");
            case WARN ->
                mail.encryptedFiles(found.stream().map(Attachment::fileName).toList());
            case HOLD -> {
                mail.encryptedFiles(found.stream().map(Attachment::fileName).toList());
                mail.requireApproval("password-protected file(s)");
            }
            case LOG, OFF -> {
                // audited and logged only
            }
        }
        return Next.CONTINUE;
    }

    /** Audits archives over a limit, then refuses the mail or notes them for the receipt. */
    private void archiveLimits(MailTransaction mail, Action action, Map<Attachment, Limit> overLimits)
            throws MailRefusal {
        Envelope envelope = mail.envelope();
        String files = overLimits.entrySet().stream()
                .map(e -> "file " + (e.getKey().ordinal() + 1) + " " + limitName(e.getValue()))
                .collect(Collectors.joining(", "));
        String what = overLimits.size() + " archive(s) over the decompression limits (" + files + "), "
                + action.name().toLowerCase(Locale.ROOT);
        audit.record("archive-limit", null, null, envelope.sender(), envelope.clientAddress(), what);
        log.info("Inspection: {} from client {}", what, envelope.clientAddress());
        switch (action) {
            case REFUSE -> {
                List<Attachment> over = List.copyOf(overLimits.keySet());
                String numbers = numbered(over);
                throw new MailRefusal(
                        "5.7.1",
                        (over.size() == 1 ? "Archive " + numbers + " exceeds" : "Archives " + numbers + " exceed")
                                + " the decompression limits (size, ratio or nesting): refused",
                        "archive over the decompression limits refused");
            }
            case WARN, HOLD -> {
                overLimits.forEach((a, limit) -> mail.inspection().archiveLimit(a.fileName(), limitName(limit)));
                mail.inspection().finding("archive-limit");
                if (action == Action.HOLD) {
                    mail.requireApproval("archive over the decompression limits");
                }
            }
            case LOG, OFF -> {
                // audited and logged only
            }
        }
    }

    private static String limitName(Limit limit) {
        return switch (limit) {
            case EXPANDED_SIZE -> "expanded-size";
            case RATIO -> "ratio";
            case DEPTH -> "depth";
        };
    }

    /** ASCII only: the files by their 1-based number, with the name when it is plain ASCII. */
    static String numbered(List<Attachment> files) {
        return files.stream()
                .map(a -> (a.ordinal() + 1)
                        + (PLAIN_NAME.matcher(a.fileName()).matches() ? " (" + a.fileName() + ")" : ""))
                .collect(Collectors.joining(", "));
    }

    /** The refusal of password-protected files, in ASCII. */
    static String refusalText(List<Attachment> found) {
        String files = numbered(found);
        return found.size() == 1
                ? "Password-protected file " + files
                        + " refused: send it without a password; Todoke protects it with a link"
                : "Password-protected files " + files
                        + " refused: send them without a password; Todoke protects them with a link";
    }
}
