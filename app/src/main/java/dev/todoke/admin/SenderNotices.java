package dev.todoke.admin;

import dev.todoke.audit.AuditLog;
import dev.todoke.mail.SystemMail;
import dev.todoke.mail.SystemMailException;
import dev.todoke.templates.MailTemplates;
import dev.todoke.transfer.Transfers;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the sender of a transfer by mail ({@code X-Todoke-Kind: admin-change}) that an administrator
 * revoked links or moved the expiry: the templates {@code templates/mail/admin-change*} (Japanese, then
 * English; times in Japan time and UTC). Nothing is sent to the null sender, or when nothing changed.
 * The change stands when the mail cannot be sent: the failure is logged and audited ({@code
 * sender-notice-failed}), never answered to the administrator as an error. Thread-safe.
 */
@Component
class SenderNotices {

    private static final Logger log = LoggerFactory.getLogger(SenderNotices.class);
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final SystemMail mail;
    private final MailTemplates templates;
    private final AuditLog audit;

    SenderNotices(SystemMail mail, MailTemplates templates, AuditLog audit) {
        this.mail = mail;
        this.templates = templates;
        this.audit = audit;
    }

    /** After links were revoked: names the recipients whose links this change revoked. */
    void revoked(Transfers.Message message, List<Transfers.Link> revoked) {
        if (!revoked.isEmpty()) {
            send(message, revoked.stream().map(Transfers.Link::recipient).toList(), null);
        }
    }

    /** After the expiry moved from the message's expiry to {@code expiresAt}. */
    void expiryChanged(Transfers.Message message, Instant expiresAt) {
        if (!expiresAt.equals(message.expiresAt())) {
            send(message, List.of(), expiresAt);
        }
    }

    private void send(Transfers.Message message, List<String> revoked, Instant newExpiry) {
        String to = message.envelopeFrom();
        if (to == null || to.isBlank()) {
            return;
        }
        String subject = message.subject() == null ? "" : message.subject();
        Map<String, Object> model = new HashMap<>();
        model.put("subject", subject);
        model.put("sentTokyo", LOCAL.format(message.createdAt().atZone(TOKYO)));
        model.put("sentUtc", LOCAL.format(message.createdAt().atZone(ZoneOffset.UTC)) + " UTC");
        model.put("revoked", revoked);
        model.put("oldExpiry", newExpiry == null ? null : both(message.expiresAt()));
        model.put("newExpiry", newExpiry == null ? null : both(newExpiry));
        try {
            mail.send(
                    "admin-change",
                    to,
                    templates.subject("admin-change-subject.txt", model),
                    templates.render("admin-change.txt", model),
                    templates.render("admin-change.html", model));
        } catch (SystemMailException e) {
            log.warn("Could not tell the sender of message {} about an admin change: {}", message.id(), e.getMessage());
            try {
                audit.record("sender-notice-failed", message.id(), null, to, null, e.getMessage());
            } catch (RuntimeException auditFailure) {
                log.warn("Could not audit the failed sender notice of message {}", message.id(), auditFailure);
            }
        }
    }

    private static String both(Instant at) {
        return LOCAL.format(at.atZone(TOKYO)) + " (日本時間) / " + LOCAL.format(at.atZone(ZoneOffset.UTC)) + " UTC";
    }
}
