package dev.todoke.download;

import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import dev.todoke.mail.SystemMail;
import dev.todoke.mail.SystemMailException;
import dev.todoke.otp.Passcodes;
import dev.todoke.security.RecipientAuthentication;
import dev.todoke.templates.MailTemplates;
import dev.todoke.transfer.StoredFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Service;

/**
 * What a recipient may do with a link, shared by the pages and the JSON API: look, ask for a code,
 * verify it, download. Every call reads the link's state fresh from the database, so revocation and
 * expiry apply on the very next request, on every replica. Refusals are {@link DomainException}s.
 *
 * <p>Meters (docs/observability.md): {@code todoke.passcodes.sent}, {@code todoke.passcodes.send.failures},
 * {@code todoke.passcodes.verifications} by {@code outcome} (passed, wrong, locked, expired, no-code) and
 * {@code todoke.downloads} by {@code kind} (file, zip).
 */
@Service
class RecipientAccess {

    private static final Logger log = LoggerFactory.getLogger(RecipientAccess.class);

    private final RecipientLinks links;
    private final RecipientSessions sessions;
    private final Passcodes passcodes;
    private final SystemMail mailer;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final Clock clock;
    private final DownloadProperties properties;
    private final MeterRegistry registry;
    private final Counter codesSent;
    private final Counter codeMailFailures;

    RecipientAccess(
            RecipientLinks links,
            RecipientSessions sessions,
            Passcodes passcodes,
            SystemMail mailer,
            MailTemplates templates,
            AuditLog audit,
            Clock clock,
            DownloadProperties properties,
            MeterRegistry registry) {
        this.registry = registry;
        this.codesSent = Counter.builder("todoke.passcodes.sent")
                .description("Passcodes mailed to recipients")
                .register(registry);
        this.codeMailFailures = Counter.builder("todoke.passcodes.send.failures")
                .description("Passcodes that could not be mailed")
                .register(registry);
        this.links = links;
        this.sessions = sessions;
        this.passcodes = passcodes;
        this.mailer = mailer;
        this.templates = templates;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    /** The link if it may be used now: not found when unknown, gone when revoked or expired. Changes nothing. */
    RecipientLink open(String token) {
        RecipientLink link = links.findByToken(token).orElseThrow(DomainException::notFound);
        return switch (link.status(clock.instant())) {
            case ACTIVE -> link;
            case REVOKED -> throw DomainException.revoked();
            case EXPIRED -> throw DomainException.expired();
        };
    }

    /** Looks at a link and records the view. */
    RecipientLink view(String token, String clientIp) {
        try {
            RecipientLink link = open(token);
            audit.record("link-viewed", link.messageId(), link.linkId(), link.recipient(), clientIp, null);
            return link;
        } catch (DomainException e) {
            links.findByToken(token)
                    .ifPresent(l ->
                            audit.record("link-viewed", l.messageId(), l.linkId(), l.recipient(), clientIp, e.code()));
            throw e;
        }
    }

    /** Mails a new code to the link's recipient: {@code too-many-codes} (rate limited) over the hourly rate. */
    void sendCode(RecipientLink link, String clientIp) {
        String code = passcodes.issue(link.linkId()).orElseThrow(() -> {
            audit.record("code-refused", link.messageId(), link.linkId(), link.recipient(), clientIp, "rate");
            return new DomainException(Kind.RATE_LIMITED, "too-many-codes");
        });
        try {
            Map<String, Object> model = Map.of("code", code, "minutes", Passcodes.VALIDITY_MINUTES);
            mailer.send(
                    "otp",
                    link.recipient(),
                    templates.subject("passcode-subject.txt", model),
                    templates.render("passcode.txt", model),
                    templates.render("passcode.html", model));
        } catch (SystemMailException e) {
            codeMailFailures.increment();
            log.warn(
                    "passcode mail for link {} not sent: {}",
                    link.linkId(),
                    e.getClass().getSimpleName());
            throw new DomainException(Kind.UNAVAILABLE, "mail-unavailable");
        }
        codesSent.increment();
        audit.record("code-sent", link.messageId(), link.linkId(), link.recipient(), clientIp, null);
    }

    /** Verifies a code and starts a session; refuses a wrong code (with attempts left), or a locked one. */
    ResponseCookie verify(RecipientLink link, String code, String clientIp, boolean secure) {
        Passcodes.Outcome outcome = passcodes.verify(link.linkId(), code);
        String kind = outcome instanceof Passcodes.Outcome.Passed ? "code-passed" : "code-failed";
        String name = outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        audit.record(kind, link.messageId(), link.linkId(), link.recipient(), clientIp, name);
        if (outcome instanceof Passcodes.Outcome.Locked locked && locked.justNow()) {
            audit.record("code-locked", link.messageId(), link.linkId(), link.recipient(), clientIp, null);
        }
        Counter.builder("todoke.passcodes.verifications")
                .description("Passcode checks by outcome")
                .tag("outcome", name.equals("nocode") ? "no-code" : name)
                .register(registry)
                .increment();
        return switch (outcome) {
            case Passcodes.Outcome.Passed p -> sessions.start(link.linkId(), secure);
            case Passcodes.Outcome.Wrong w ->
                throw new DomainException(Kind.UNAUTHENTICATED, "wrong-code", Map.of("attemptsLeft", w.attemptsLeft()));
            case Passcodes.Outcome.Locked l -> throw new DomainException(Kind.RATE_LIMITED, "locked");
            case Passcodes.Outcome.Expired e -> throw new DomainException(Kind.UNAUTHENTICATED, "code-expired");
            case Passcodes.Outcome.NoCode n -> throw new DomainException(Kind.UNAUTHENTICATED, "no-code");
        };
    }

    /**
     * The link for a download: as {@link #open}, then {@code no-session} unless Spring Security holds a
     * {@link RecipientAuthentication} for this very link.
     */
    RecipientLink requireSession(String token, HttpServletRequest request) {
        RecipientLink link = open(token);
        if (!RecipientAuthentication.holds(link.linkId())) {
            throw new DomainException(Kind.UNAUTHENTICATED, "no-session");
        }
        return link;
    }

    /** True when the request holds a session for this link (the link itself is not checked). */
    boolean hasSession(RecipientLink link, HttpServletRequest request) {
        return RecipientAuthentication.holds(link.linkId());
    }

    /** Records a download (file null: the ZIP) and mails the sender on the link's first one. */
    void downloaded(RecipientLink link, StoredFile file, String clientIp) {
        boolean first = links.recordDownload(link.linkId(), file == null ? null : file.id(), clock.instant(), clientIp);
        Counter.builder("todoke.downloads")
                .description("Downloads from the first byte, by kind")
                .tag("kind", file == null ? "zip" : "file")
                .register(registry)
                .increment();
        audit.record(
                file == null ? "zip-downloaded" : "file-downloaded",
                link.messageId(),
                link.linkId(),
                link.recipient(),
                clientIp,
                file == null ? null : "file " + file.id());
        if (first
                && properties.notifySender()
                && link.senderEnvelope() != null
                && !link.senderEnvelope().isBlank()) {
            try {
                Map<String, Object> model = Map.of(
                        "recipient",
                        link.recipient(),
                        "file",
                        file == null ? "ZIP" : file.name(),
                        "zip",
                        file == null,
                        "subject",
                        link.subject() == null ? "" : link.subject());
                mailer.send(
                        "download",
                        link.senderEnvelope(),
                        templates.subject("download-subject.txt", model),
                        templates.render("download.txt", model),
                        templates.render("download.html", model));
            } catch (RuntimeException e) {
                // The recipient has the file; a lost notice must not fail the download.
                log.warn(
                        "first-download notice to the sender failed: {}",
                        e.getClass().getSimpleName());
            }
        }
    }
}
