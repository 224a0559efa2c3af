package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.InspectionProperties.Action;
import dev.todoke.inspection.EncryptedFiles;
import dev.todoke.mime.Attachment;
import dev.todoke.smtp.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * encrypted-file}, with the count, no names). Thread-safe. Failure: a spool error while reading is an
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
        this.detector = new EncryptedFiles(properties.maxScanSize().toBytes(), properties.scanTimeout());
        this.audit = audit;
    }

    /** @throws MailRefusal 5.7.1 when a password-protected file is found and the policy is refuse */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal, IOException {
        Action action = properties.encryptedFiles();
        if (action == Action.OFF) {
            return Next.CONTINUE;
        }
        List<Attachment> found = new ArrayList<>();
        for (Attachment attachment : mail.parsed().attachments()) {
            try (InputStream in = attachment.openDecoded()) {
                if (detector.detect(in).isPresent()) {
                    found.add(attachment);
                }
            }
        }
        if (found.isEmpty()) {
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

    /** ASCII only: the files by their 1-based number, with the name when it is plain ASCII. */
    static String refusalText(List<Attachment> found) {
        String files = found.stream()
                .map(a -> (a.ordinal() + 1)
                        + (PLAIN_NAME.matcher(a.fileName()).matches() ? " (" + a.fileName() + ")" : ""))
                .collect(Collectors.joining(", "));
        return found.size() == 1
                ? "Password-protected file " + files
                        + " refused: send it without a password; Todoke protects it with a link"
                : "Password-protected files " + files
                        + " refused: send them without a password; Todoke protects them with a link";
    }
}
