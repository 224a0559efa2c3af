package dev.todoke.gateway;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.util.HtmlUtils;

/**
 * The words Todoke puts into mail: the notice that replaces attachments in each external recipient's
 * copy, and the receipt to the sender. Japanese first, then English; plain text and HTML say the same.
 * Everything that came from the mail (names, addresses) is HTML-escaped in the HTML version.
 */
final class NoticeTexts {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private NoticeTexts() {}

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
            Map<String, String> tlsVerdicts) {

        /** The recipient's TLS verdict in plain words, or a note that it is not known yet. */
        String tlsOf(String recipient) {
            String verdict = tlsVerdicts.getOrDefault(recipient, "");
            return verdict.isEmpty() ? "未確認 / not checked yet (see the management page)" : verdict;
        }
    }

    static String noticeText(Notice n) {
        StringBuilder s = new StringBuilder();
        s.append("---- Todoke ----\n");
        s.append("このメールの添付ファイルは Todoke によって取り外され、ダウンロードリンクに置き換えられました。\n");
        s.append("送信者: ").append(n.sender()).append('\n');
        s.append("ファイル:\n");
        fileLines(s, n.files());
        s.append("ダウンロード期限: ").append(tokyo(n.expiresAt())).append(" (日本時間)\n");
        s.append("ダウンロード: ").append(n.link()).append('\n');
        s.append("このリンクは ").append(n.recipient()).append(" 宛てです。このアドレスに届く確認コードを入力するとダウンロードできます。\n");
        s.append("パスワードは別送しません。\n");
        if (n.signatureRemoved()) {
            s.append("元のメールには電子署名がありましたが、添付ファイルを取り外したため署名を外しました。\n");
        }
        if (!n.policyRule().isEmpty()) {
            s.append("適用されたルール: ").append(n.policyRule()).append('\n');
        }
        s.append('\n');
        s.append("The attachments of this mail were removed by Todoke and replaced by a download link.\n");
        s.append("Sender: ").append(n.sender()).append('\n');
        s.append("Files:\n");
        fileLines(s, n.files());
        s.append("Available until: ").append(utc(n.expiresAt())).append('\n');
        s.append("Download: ").append(n.link()).append('\n');
        s.append("This link is for ")
                .append(n.recipient())
                .append(": you will be asked for a code that is mailed to this address.\n");
        s.append("No password will follow in a separate mail.\n");
        if (n.signatureRemoved()) {
            s.append(
                    "The original mail was digitally signed; the signature was removed together with the attachments.\n");
        }
        if (!n.policyRule().isEmpty()) {
            s.append("Rule applied: ").append(n.policyRule()).append('\n');
        }
        s.append("----------------\n");
        return s.toString();
    }

    static String noticeHtml(Notice n) {
        StringBuilder s = new StringBuilder();
        s.append("<div style=\"border:1px solid #999;padding:8px;margin:8px 0;font-family:sans-serif\">");
        s.append("<p lang=\"ja\">このメールの添付ファイルは Todoke によって取り外され、ダウンロードリンクに置き換えられました。<br>");
        s.append("送信者: ").append(e(n.sender())).append("<br>");
        s.append("ダウンロード期限: ").append(e(tokyo(n.expiresAt()))).append(" (日本時間)</p>");
        fileList(s, n.files());
        s.append("<p><a href=\"")
                .append(e(n.link()))
                .append("\">")
                .append(e(n.link()))
                .append("</a></p>");
        s.append("<p lang=\"ja\">このリンクは ").append(e(n.recipient())).append(" 宛てです。このアドレスに届く確認コードを入力するとダウンロードできます。<br>");
        s.append("<strong>パスワードは別送しません。</strong>");
        if (n.signatureRemoved()) {
            s.append("<br>元のメールには電子署名がありましたが、添付ファイルを取り外したため署名を外しました。");
        }
        s.append("</p>");
        s.append(
                "<p lang=\"en\">The attachments of this mail were removed by Todoke and replaced by a download link.<br>");
        s.append("Sender: ").append(e(n.sender())).append("<br>");
        s.append("Available until: ").append(e(utc(n.expiresAt()))).append("<br>");
        s.append("This link is for ")
                .append(e(n.recipient()))
                .append(": you will be asked for a code that is mailed to this address.<br>");
        s.append("<strong>No password will follow in a separate mail.</strong>");
        if (n.signatureRemoved()) {
            s.append(
                    "<br>The original mail was digitally signed; the signature was removed together with the attachments.");
        }
        if (!n.policyRule().isEmpty()) {
            s.append("<br>適用されたルール / Rule applied: ").append(e(n.policyRule()));
        }
        s.append("</p></div>");
        return s.toString();
    }

    static String receiptSubject(String subject) {
        String original = subject == null || subject.isBlank() ? "(件名なし / no subject)" : subject;
        return "[Todoke] 送信控え / Receipt: " + original;
    }

    static String receiptText(Receipt r) {
        StringBuilder s = new StringBuilder();
        s.append("Todoke が次のメールの添付ファイルをダウンロードリンクに置き換えて送信しました。\n");
        s.append("Todoke sent the following mail with its attachments replaced by download links.\n\n");
        s.append("件名 / Subject: ")
                .append(r.subject() == null ? "" : r.subject())
                .append("\n\n");
        s.append("リンク付きで送信した宛先 / Recipients with links:\n");
        r.linkedRecipients()
                .forEach(a -> s.append("  - ")
                        .append(a)
                        .append("\n    TLS: ")
                        .append(r.tlsOf(a))
                        .append('\n'));
        if (!r.unchangedRecipients().isEmpty()) {
            s.append("添付ファイル付きのまま送信した宛先 / Recipients who got the attachments unchanged:\n");
            r.unchangedRecipients().forEach(a -> s.append("  - ").append(a).append('\n'));
        }
        s.append("\nファイル / Files:\n");
        fileLines(s, r.files());
        s.append("\nダウンロード期限 / Available until: ")
                .append(tokyo(r.expiresAt()))
                .append(" (日本時間) / ")
                .append(utc(r.expiresAt()))
                .append('\n');
        s.append("\n管理ページ (ダウンロード状況の確認、取り消し、期限の変更) / Management page (downloads, revoke, expiry):\n");
        s.append(r.manageLink()).append('\n');
        s.append("\nこのリンクは転送しないでください。/ Do not forward this link.\n");
        return s.toString();
    }

    static String receiptHtml(Receipt r) {
        StringBuilder s = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        s.append("<p>Todoke が次のメールの添付ファイルをダウンロードリンクに置き換えて送信しました。<br>");
        s.append("Todoke sent the following mail with its attachments replaced by download links.</p>");
        s.append("<p>件名 / Subject: ")
                .append(e(r.subject() == null ? "" : r.subject()))
                .append("</p>");
        s.append("<p>リンク付きで送信した宛先 / Recipients with links:</p><ul>");
        r.linkedRecipients()
                .forEach(a -> s.append("<li>")
                        .append(e(a))
                        .append("<br><small>TLS: ")
                        .append(e(r.tlsOf(a)))
                        .append("</small></li>"));
        s.append("</ul>");
        if (!r.unchangedRecipients().isEmpty()) {
            s.append("<p>添付ファイル付きのまま送信した宛先 / Recipients who got the attachments unchanged:</p><ul>");
            r.unchangedRecipients().forEach(a -> s.append("<li>").append(e(a)).append("</li>"));
            s.append("</ul>");
        }
        s.append("<p>ファイル / Files:</p>");
        fileList(s, r.files());
        s.append("<p>ダウンロード期限 / Available until: ")
                .append(e(tokyo(r.expiresAt())))
                .append(" (日本時間) / ")
                .append(e(utc(r.expiresAt())))
                .append("</p>");
        s.append("<p>管理ページ (ダウンロード状況の確認、取り消し、期限の変更) / Management page (downloads, revoke, expiry):<br>");
        s.append("<a href=\"")
                .append(e(r.manageLink()))
                .append("\">")
                .append(e(r.manageLink()))
                .append("</a></p>");
        s.append("<p>このリンクは転送しないでください。/ Do not forward this link.</p></body></html>");
        return s.toString();
    }

    /** The files as plain-text lines: {@code   - name (size)}. */
    private static void fileLines(StringBuilder s, List<FileLine> files) {
        files.forEach(f -> s.append("  - ")
                .append(f.name())
                .append(" (")
                .append(size(f.size()))
                .append(")\n"));
    }

    private static void fileList(StringBuilder s, List<FileLine> files) {
        s.append("<ul>");
        files.forEach(f -> s.append("<li>")
                .append(e(f.name()))
                .append(" (")
                .append(e(size(f.size())))
                .append(")</li>"));
        s.append("</ul>");
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

    private static String e(String text) {
        return HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
