package dev.todoke.gateway;

import dev.todoke.templates.MailTemplates;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words Todoke puts into mail: the notice that replaces attachments in each external recipient's
 * copy, and the receipt to the sender. The wording lives in the mail templates ({@link MailTemplates}:
 * built-in files under {@code templates/mail/}, or an administrator's edit); this class only prepares what they show (times in Asia/Tokyo and UTC,
 * sizes for people). Japanese first, then English; plain text and HTML say the same. Everything that
 * came from the mail (names, addresses) is HTML-escaped by the HTML templates. Thread-safe.
 */
final class NoticeTexts {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final MailTemplates templates;

    NoticeTexts(MailTemplates templates) {
        this.templates = templates;
    }

    /** One file as the notice names it. */
    record FileLine(String name, long size) {}

    /** What a notice says to one recipient. */
    record Notice(
            String sender,
            String recipient,
            List<FileLine> files,
            Instant expiresAt,
            String link,
            boolean signatureRemoved,
            String policyRule) {}

    /** What a receipt says to the sender. */
    record Receipt(
            String subject,
            List<String> linkedRecipients,
            List<String> unchangedRecipients,
            List<FileLine> files,
            Instant expiresAt,
            String manageLink,
            Map<String, String> tlsVerdicts,
            boolean forcedBcc,
            List<String> encryptedFiles,
            List<AddedLine> added,
            InspectionReport.Snapshot inspection) {

        /** A receipt without auto-added recipients and without findings besides password-protected files. */
        Receipt(
                String subject,
                List<String> linkedRecipients,
                List<String> unchangedRecipients,
                List<FileLine> files,
                Instant expiresAt,
                String manageLink,
                Map<String, String> tlsVerdicts,
                boolean forcedBcc,
                List<String> encryptedFiles) {
            this(
                    subject,
                    linkedRecipients,
                    unchangedRecipients,
                    files,
                    expiresAt,
                    manageLink,
                    tlsVerdicts,
                    forcedBcc,
                    encryptedFiles,
                    List.of(),
                    InspectionReport.Snapshot.EMPTY);
        }

        /**
         * The receipt of mail with no links (forced BCC on mail without attachments, or encrypted): the
         * recipients, no files, no expiry, no management link.
         */
        static Receipt withoutLinks(String subject, List<String> recipients, Map<String, String> tlsVerdicts) {
            return new Receipt(subject, List.of(), recipients, List.of(), null, null, tlsVerdicts, true, List.of());
        }

        /** This receipt listing the auto-added recipients too. */
        Receipt withAdded(List<AddedLine> recipients) {
            return new Receipt(
                    subject,
                    linkedRecipients,
                    unchangedRecipients,
                    files,
                    expiresAt,
                    manageLink,
                    tlsVerdicts,
                    forcedBcc,
                    encryptedFiles,
                    recipients,
                    inspection);
        }

        /** Whether there are links (files, an expiry and a management link). */
        boolean hasLinks() {
            return manageLink != null;
        }

        /** The recipient's TLS verdict in plain words, or a note that it is not known yet. */
        String tlsOf(String recipient) {
            String verdict = tlsVerdicts.getOrDefault(recipient, "");
            if (!verdict.isEmpty()) {
                return verdict;
            }
            return hasLinks() ? "未確認 / not checked yet (see the management page)" : "未確認 / not checked yet";
        }
    }

    /** A recipient added by an auto-add rule (Bcc), and whether it received the original. */
    record AddedLine(String address, boolean original) {}

    String noticeText(Notice n) {
        return templates.render("notice.txt", notice(n));
    }

    String noticeHtml(Notice n) {
        return templates.render("notice.html", notice(n));
    }

    String receiptSubject(String subject) {
        String original = subject == null || subject.isBlank() ? "(件名なし / no subject)" : subject;
        return templates.subject("receipt-subject.txt", Map.of("subject", original));
    }

    String receiptText(Receipt r) {
        return templates.render("receipt.txt", receipt(r));
    }

    String receiptHtml(Receipt r) {
        return templates.render("receipt.html", receipt(r));
    }

    /**
     * Renders one of the built-in {@code templates/mail/} templates with this model (hold and approval
     * mail), the name with or without its {@code mail/} prefix.
     */
    String render(String template, Map<String, Object> model) {
        return templates.render(template.startsWith("mail/") ? template.substring(5) : template, model);
    }

    private static Map<String, Object> notice(Notice n) {
        Map<String, Object> model = new HashMap<>();
        model.put("sender", n.sender());
        model.put("recipient", n.recipient());
        model.put("files", views(n.files()));
        model.put("link", n.link());
        model.put("signatureRemoved", n.signatureRemoved());
        model.put("rule", n.policyRule());
        times(model, n.expiresAt());
        return model;
    }

    private static Map<String, Object> receipt(Receipt r) {
        Map<String, Object> model = new HashMap<>();
        model.put("subject", r.subject() == null ? "" : r.subject());
        model.put(
                "linked",
                r.linkedRecipients().stream()
                        .map(a -> new MailTemplates.RecipientView(a, r.tlsOf(a)))
                        .toList());
        model.put("unchanged", r.unchangedRecipients());
        model.put("files", views(r.files()));
        model.put("manageLink", r.manageLink());
        model.put("links", r.hasLinks());
        model.put("forcedBcc", r.forcedBcc());
        model.put("encryptedFiles", r.encryptedFiles());
        model.put("added", r.added());
        model.put("personalData", r.inspection().personalData());
        model.put("notScanned", r.inspection().notScanned());
        model.put("archiveLimits", r.inspection().archiveLimits());
        model.put(
                "recipients",
                r.unchangedRecipients().stream()
                        .map(a -> new MailTemplates.RecipientView(a, r.tlsOf(a)))
                        .toList());
        if (r.expiresAt() != null) {
            times(model, r.expiresAt());
        }
        return model;
    }

    private static List<MailTemplates.FileView> views(List<FileLine> files) {
        return files.stream()
                .map(f -> new MailTemplates.FileView(f.name(), size(f.size())))
                .toList();
    }

    private static void times(Map<String, Object> model, Instant expiresAt) {
        model.put("tokyo", tokyo(expiresAt));
        model.put("utc", utc(expiresAt));
    }

    /** A size for people: bytes below 1 KB, else one decimal in KB, MB or GB (1024-based). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String tokyo(Instant instant) {
        return LOCAL.format(instant.atZone(TOKYO));
    }

    static String utc(Instant instant) {
        return LOCAL.format(instant.atZone(ZoneOffset.UTC)) + " UTC";
    }
}
