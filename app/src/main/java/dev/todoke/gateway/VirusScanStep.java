package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.mime.Attachment;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.MimeRejectedException;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.smtp.Envelope;
import dev.todoke.virus.ClamavProperties.Oversize;
import dev.todoke.virus.ClamdUnavailableException;
import dev.todoke.virus.ScanResult;
import dev.todoke.virus.VirusScanning;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virus scan: streams every attachment, decoded, to clamd ({@code INSTREAM}) before anything is
 * stored or relayed, on every path that relays mail: rewritten mail, and mail that passes unchanged
 * (internal only, inbound, signed), which this step parses itself when no step did; mail that cannot be
 * parsed is streamed to clamd whole (clamd reads MIME itself). Encrypted mail has nothing readable to
 * scan. See docs/inspection.md and ADR 0111.
 *
 * <ul>
 *   <li>A finding: audited ({@code virus-found}: the signature and the attachment's number, never its
 *       name), answered {@code 554 5.7.1} naming the attachment by number (and by name when it is plain
 *       ASCII), the signature and the help page. Nothing is stored, nothing relayed.
 *   <li>A file beyond clamd's limits: {@code todoke.clamav.oversize=refuse} answers {@code 554 5.3.4};
 *       {@code pass} lets it through, audited ({@code virus-scan-oversize}).
 *   <li>clamd unreachable, timing out or answering an error: {@link ClamdUnavailableException} (451, fail
 *       closed), or with {@code todoke.clamav.fail-open=true} the mail passes, audited ({@code
 *       virus-scan-failed-open}).
 * </ul>
 *
 * Counts every scan in {@code todoke.virus.scans} tagged {@code result}. Thread-safe. Failure: a spool
 * error while reading is an {@link IOException}; an audit failure is the database's exception.
 */
final class VirusScanStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(VirusScanStep.class);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,59}");

    private final VirusScanning scanning;
    private final MimeParser parser;
    private final AuditLog audit;
    private final String helpUrl;
    private final MeterRegistry registry;

    VirusScanStep(VirusScanning scanning, MimeParser parser, AuditLog audit, String helpUrl, MeterRegistry registry) {
        this.scanning = scanning;
        this.parser = parser;
        this.audit = audit;
        this.helpUrl = helpUrl;
        this.registry = registry;
    }

    /**
     * @throws MailRefusal 5.7.1 on a finding, 5.3.4 for a file too large to scan under {@code refuse}
     * @throws ClamdUnavailableException when clamd cannot be asked and the scan fails closed
     */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal, IOException {
        if (mail.parsed() != null) {
            scanAll(mail, mail.parsed().attachments());
            return Next.CONTINUE;
        }
        ParsedMessage parsed;
        try {
            parsed = parser.parse(mail.spool());
        } catch (MimeRejectedException e) {
            scanWhole(mail);
            return Next.CONTINUE;
        }
        try (parsed) {
            scanAll(mail, parsed.attachments());
        }
        return Next.CONTINUE;
    }

    /** Runs for mail passed unchanged too: whatever Todoke relays with files in it is scanned. */
    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }

    private void scanAll(MailTransaction mail, List<Attachment> attachments) throws MailRefusal, IOException {
        for (Attachment attachment : attachments) {
            String what = "attachment " + (attachment.ordinal() + 1);
            String named = PLAIN_NAME.matcher(attachment.fileName()).matches()
                    ? what + " (" + attachment.fileName() + ")"
                    : what;
            ScanResult result;
            try (InputStream in = attachment.openDecoded()) {
                result = scan(mail, in);
            }
            if (result == null) {
                return;
            }
            act(mail, result, what, named);
        }
    }

    /** The raw message, for mail Todoke's parser will not take apart: clamd decodes MIME itself. */
    private void scanWhole(MailTransaction mail) throws MailRefusal, IOException {
        ScanResult result;
        try (InputStream in = Files.newInputStream(mail.spool())) {
            result = scan(mail, in);
        }
        if (result != null) {
            act(mail, result, "the message", "the message");
        }
    }

    /** clamd's verdict, or null when clamd cannot be asked and the scan fails open (audited here). */
    private ScanResult scan(MailTransaction mail, InputStream in) throws IOException {
        try {
            ScanResult result = scanning.clamd().scan(in);
            count(result.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            return result;
        } catch (ClamdUnavailableException e) {
            count("unavailable");
            if (!scanning.failOpen()) {
                throw e;
            }
            Envelope envelope = mail.envelope();
            audit.record(
                    "virus-scan-failed-open",
                    null,
                    null,
                    envelope.sender(),
                    envelope.clientAddress(),
                    "clamd unavailable, mail passed unscanned (todoke.clamav.fail-open=true)");
            log.warn("Virus scan failed open for a message from <{}>: {}", envelope.sender(), e.getMessage());
            return null;
        }
    }

    /** Acts on one verdict: returns for a clean file or one passed unscanned, refuses otherwise. */
    private void act(MailTransaction mail, ScanResult result, String what, String named) throws MailRefusal {
        Envelope envelope = mail.envelope();
        switch (result.verdict()) {
            case CLEAN -> {
                // nothing found
            }
            case INFECTED -> {
                String signature = result.signature();
                audit.record(
                        "virus-found",
                        null,
                        null,
                        envelope.sender(),
                        envelope.clientAddress(),
                        signature + " in " + what);
                throw new MailRefusal(
                        "5.7.1",
                        "Virus found in " + named + ": " + signature + "; nothing was sent. See " + helpUrl,
                        "virus found");
            }
            case TOO_LARGE -> {
                String detail = what + " too large for clamd"
                        + (result.signature().isEmpty() ? "" : " (" + result.signature() + ")");
                if (scanning.oversize() == Oversize.REFUSE) {
                    audit.record(
                            "virus-scan-oversize",
                            null,
                            null,
                            envelope.sender(),
                            envelope.clientAddress(),
                            detail + ", refused");
                    throw new MailRefusal(
                            "5.3.4",
                            "Virus scan: " + named + " is too large to be scanned; nothing was sent. See " + helpUrl,
                            "virus scan: file too large");
                }
                audit.record(
                        "virus-scan-oversize",
                        null,
                        null,
                        envelope.sender(),
                        envelope.clientAddress(),
                        detail + ", passed");
                log.info(
                        "Virus scan: {} from <{}> passed unscanned (todoke.clamav.oversize=pass)",
                        detail,
                        envelope.sender());
            }
        }
    }

    private void count(String result) {
        Counter.builder("todoke.virus.scans")
                .description("Files (or unparseable messages) streamed to clamd, by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }
}
