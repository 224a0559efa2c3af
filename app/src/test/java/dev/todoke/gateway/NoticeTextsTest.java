package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.NoticeTexts.FileLine;
import dev.todoke.gateway.NoticeTexts.Notice;
import dev.todoke.gateway.NoticeTexts.Receipt;
import dev.todoke.templates.MailTemplates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoticeTextsTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-30T08:00:00Z");

    private static final NoticeTexts TEXTS = texts();

    /** The real built-in templates, rendered as in the application (without edits or branding). */
    static NoticeTexts texts() {
        return new NoticeTexts(MailTemplates.builtIn());
    }

    private static Notice notice(boolean signed) {
        return notice(signed, "");
    }

    private static Notice notice(boolean signed, String rule) {
        return new Notice(
                "佐藤 <sato@example.jp>",
                "alice@partner.example",
                List.of(new FileLine("見積書<1>.pdf", 1_572_864), new FileLine("a.txt", 12)),
                EXPIRES,
                "https://files.example.jp/d/TOKEN",
                signed,
                rule);
    }

    @Test
    void noticeTextWhenFilesThenBothLanguagesNamesSizesExpiryLinkAndNoPasswordStatement() {
        String text = TEXTS.noticeText(notice(false));

        assertThat(text)
                .contains("見積書<1>.pdf (1.5 MB)", "a.txt (12 B)")
                .contains("2026-11-30 17:00 (日本時間)", "2026-11-30 08:00 UTC")
                .contains("https://files.example.jp/d/TOKEN")
                .contains("パスワードは別送しません。", "No password will follow in a separate mail.")
                .contains("送信者: 佐藤 <sato@example.jp>", "Sender: 佐藤 <sato@example.jp>")
                .doesNotContain("署名")
                .doesNotContain("Rule applied");
    }

    @Test
    void noticeTextWhenAPolicyRuleDecidedThenNamesTheRuleInBothLanguages() {
        String rule = "Attachments sent as links; TLS check of partner.example: no-tls (TLS policy: default link)";

        assertThat(TEXTS.noticeText(notice(false, rule)))
                .contains("適用されたルール: " + rule)
                .contains("Rule applied: " + rule);
        assertThat(TEXTS.noticeHtml(notice(false, rule))).contains("Rule applied: " + rule);
    }

    @Test
    void noticeHtmlWhenNamesHaveMarkupThenEscaped() {
        String html = TEXTS.noticeHtml(notice(true));

        assertThat(html)
                .contains("見積書&lt;1&gt;.pdf")
                .doesNotContain("見積書<1>")
                .contains("&lt;sato@example.jp&gt;")
                .contains("<a href=\"https://files.example.jp/d/TOKEN\">")
                .contains("パスワードは別送しません", "No password will follow in a separate mail")
                .contains("署名を外しました", "signature was removed");
    }

    @Test
    void receiptTextWhenRecipientsThenListsThemFilesAndManagementLink() {
        Receipt receipt = new Receipt(
                "件名",
                List.of("alice@partner.example"),
                List.of("colleague@example.jp"),
                List.of(new FileLine("a.pdf", 2048)),
                EXPIRES,
                "https://files.example.jp/s/MANAGE",
                Map.of("alice@partner.example", "暗号化なし / Not encrypted"),
                false,
                List.of());

        assertThat(TEXTS.receiptText(receipt))
                .contains("alice@partner.example", "colleague@example.jp", "a.pdf (2.0 KB)")
                .contains("TLS: 暗号化なし / Not encrypted")
                .contains("https://files.example.jp/s/MANAGE");
        assertThat(TEXTS.receiptHtml(receipt)).contains("<a href=\"https://files.example.jp/s/MANAGE\">");
        assertThat(TEXTS.receiptHtml(receipt)).contains("TLS: 暗号化なし / Not encrypted");
        assertThat(TEXTS.receiptSubject("")).isEqualTo("[Todoke] 送信控え / Receipt: (件名なし / no subject)");
    }

    @Test
    void receiptTextWhenVerdictUnknownThenSaysNotCheckedYet() {
        Receipt receipt = oneLinkNoVerdict(false);

        assertThat(TEXTS.receiptText(receipt)).contains("TLS: 未確認 / not checked yet");
        assertThat(TEXTS.receiptText(receipt)).doesNotContain("強制BCC", "Forced BCC", "PPAP");
    }

    @Test
    void receiptWhenEncryptedFilesThenNamesThemInBothLanguages() {
        Receipt receipt = new Receipt(
                "件名",
                List.of("alice@partner.example"),
                List.of(),
                List.of(new FileLine("見積.zip", 2048)),
                EXPIRES,
                "https://files.example.jp/s/MANAGE",
                Map.of(),
                false,
                List.of("見積.zip"));

        assertThat(TEXTS.receiptText(receipt))
                .contains("パスワード付きファイル (PPAP)", "Password-protected files (PPAP)", "  - 見積.zip");
        assertThat(TEXTS.receiptHtml(receipt))
                .contains("パスワード付きファイル (PPAP)", "Password-protected files (PPAP)", "<li>見積.zip</li>");
    }

    private static Receipt oneLinkNoVerdict(boolean forcedBcc) {
        return new Receipt(
                "件名",
                List.of("alice@partner.example"),
                List.of(),
                List.of(new FileLine("a.pdf", 2048)),
                EXPIRES,
                "https://files.example.jp/s/MANAGE",
                Map.of(),
                forcedBcc,
                List.of());
    }

    @Test
    void receiptWhenForcedBccWithLinksThenSaysRecipientsDidNotSeeEachOther() {
        Receipt receipt = oneLinkNoVerdict(true);

        assertThat(TEXTS.receiptText(receipt))
                .contains("強制BCC変換", "Forced BCC: recipients did not see each other")
                .contains("https://files.example.jp/s/MANAGE", "a.pdf (2.0 KB)");
        assertThat(TEXTS.receiptHtml(receipt)).contains("強制BCC変換", "Forced BCC: recipients did not see each other");
    }

    @Test
    void receiptWhenWithoutLinksThenRecipientsAndForcedBccButNoFilesOrManagementLink() {
        Receipt receipt = Receipt.withoutLinks(
                "件名",
                List.of("alice@partner.example", "colleague@example.jp"),
                Map.of("alice@partner.example", "暗号化なし / Not encrypted"));

        for (String rendered : List.of(TEXTS.receiptText(receipt), TEXTS.receiptHtml(receipt))) {
            assertThat(rendered)
                    .contains("強制BCC変換", "Forced BCC: recipients did not see each other")
                    .contains("alice@partner.example", "colleague@example.jp", "TLS: 暗号化なし / Not encrypted")
                    .contains("sent the following mail to each recipient separately")
                    .doesNotContain("/s/", "Available until", "Files", "download links");
        }
    }

    @Test
    void sizeWhenLargeThenOneDecimalInBinaryUnits() {
        assertThat(NoticeTexts.size(1023)).isEqualTo("1023 B");
        assertThat(NoticeTexts.size(1024)).isEqualTo("1.0 KB");
        assertThat(NoticeTexts.size(10L * 1024 * 1024 * 1024)).isEqualTo("10.0 GB");
    }
}
