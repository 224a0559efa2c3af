package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.mail.SystemMail;
import dev.todoke.relay.NextHop;
import dev.todoke.templates.MailTemplates;
import dev.todoke.transfer.StoredFile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mail about held mail (templates {@code mail/held*}, Japanese then English): to the sender when the
 * mail is held ({@code X-Todoke-Kind: hold}: every recipient with its domain set apart and its TLS
 * verdict, the files, the release time and the link to {@code /s/{token}} to cancel or send now), to the
 * approver ({@code approval}, with {@code /a/{token}}), to the sender once more when the TLS verdicts
 * became known ({@code hold}, {@code tls-update}), and to the sender when the approver rejected it
 * ({@code rejected}), when it could not be sent ({@code release-failed}) or when a self-check ran out.
 * Thread-safe. Failure: {@code SystemMailException}.
 */
final class HoldMails {

    /** Which mail: its template section and its {@code X-Todoke-Kind}. */
    enum What {
        HELD("hold"),
        SELF_CHECK("hold"),
        AWAITING_APPROVAL("hold"),
        /** The hold mail again, with the TLS verdicts that were unknown when it was held. */
        TLS_UPDATE("hold"),
        APPROVAL("approval"),
        REMINDER("approval"),
        REJECTED("rejected"),
        RELEASE_FAILED("release-failed"),
        EXPIRED("hold");

        final String kind;

        What(String kind) {
            this.kind = kind;
        }

        String section() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A recipient as the mail shows it: the local part and the domain apart, and the TLS verdict. */
    record RecipientLine(String local, String domain, String tls) {}

    /** What the mail is about. */
    record About(
            String subject,
            Map<String, String> tlsVerdicts,
            List<StoredFile> files,
            Instant releaseAt,
            Instant decideBy,
            String reason,
            String approver,
            String sender) {}

    /** What an internal recipient's TLS line says: its mail never leaves for an outside server. */
    static final String INTERNAL = "社内 (確認不要) / internal (not checked)";

    private final SystemMail systemMail;
    private final NoticeTexts texts;
    private final TodokeProperties todoke;

    HoldMails(SystemMail systemMail, NoticeTexts texts, TodokeProperties todoke) {
        this.systemMail = systemMail;
        this.texts = texts;
        this.todoke = todoke;
    }

    /**
     * Sends one mail about held mail over {@code via}.
     *
     * @param path the page the mail links to ({@code /s/...} or {@code /a/...}); null for none
     */
    void send(NextHop.Session via, What what, String to, About about, String path) {
        Map<String, Object> model = new HashMap<>();
        model.put("what", what.section());
        String subject = about.subject() == null || about.subject().isBlank() ? "(件名なし / no subject)" : about.subject();
        model.put("subject", subject);
        model.put(
                "recipients",
                about.tlsVerdicts().entrySet().stream()
                        .map(e -> line(e.getKey(), todoke.isInternal(e.getKey()) ? INTERNAL : e.getValue()))
                        .toList());
        model.put(
                "files",
                about.files().stream()
                        .map(f -> new MailTemplates.FileView(f.name(), NoticeTexts.size(f.size())))
                        .toList());
        model.put("releaseTokyo", about.releaseAt() == null ? null : NoticeTexts.tokyo(about.releaseAt()));
        model.put("releaseUtc", about.releaseAt() == null ? null : NoticeTexts.utc(about.releaseAt()));
        model.put("decideTokyo", about.decideBy() == null ? null : NoticeTexts.tokyo(about.decideBy()));
        model.put("decideUtc", about.decideBy() == null ? null : NoticeTexts.utc(about.decideBy()));
        model.put("reason", about.reason() == null ? "" : about.reason());
        model.put("approver", about.approver() == null ? "" : about.approver());
        model.put("sender", about.sender() == null ? "" : about.sender());
        model.put("link", path == null ? null : todoke.link(path));
        Map<String, Object> subjectModel = Map.of("what", what.section(), "subject", subject);
        systemMail.send(
                via,
                what.kind,
                to,
                texts.render("mail/held-subject.txt", subjectModel).strip(),
                texts.render("mail/held.txt", model),
                texts.render("mail/held.html", model),
                Map.of());
    }

    private static RecipientLine line(String address, String tls) {
        int at = address.lastIndexOf('@');
        String verdict = tls == null || tls.isEmpty() ? "未確認 / not checked yet" : tls;
        return new RecipientLine(address.substring(0, at + 1), address.substring(at + 1), verdict);
    }
}
