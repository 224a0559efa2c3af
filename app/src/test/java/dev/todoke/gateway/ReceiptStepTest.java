package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static dev.todoke.gateway.StepFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.mail.SystemMailException;
import dev.todoke.mail.TestMailParts;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReceiptStepTest extends StepTestBase {

    private final RecordingNextHop nextHop = new RecordingNextHop();
    private final byte[] raw = StepFixture.withOneAttachment();

    private ReceiptStep step(RecordingNextHop hop) {
        return new ReceiptStep(
                TestMailParts.systemMail(TestMailParts.seal(fixture.todoke), hop, StepFixture.CLOCK),
                NoticeTextsTest.texts(),
                fixture.todoke,
                hop);
    }

    @Test
    void applyWhenSenderThenOneReceiptWithSubjectRecipientsAndManagementLink() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL, INTERNAL);

        step(nextHop).apply(mail);

        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipients()).containsExactly(SENDER);
            MimeMessage receipt =
                    new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(sent.bytes()));
            assertThat(receipt.getSubject()).isEqualTo("[Todoke] 送信控え / Receipt: 見積書の送付 / Quotation");
            assertThat(receipt.getHeader("X-Todoke-Kind", null)).isEqualTo("receipt");
            assertThat(TestMails.allText(receipt))
                    .contains(EXTERNAL, INTERNAL, "a.pdf (3 B)")
                    .contains("https://files.example.jp/s/" + mail.recorded().manageToken());
        });
    }

    @Test
    void applyWhenForcedBccThenReceiptSaysRecipientsDidNotSeeEachOther() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL, INTERNAL);
        mail.forceBcc();

        step(nextHop).apply(mail);

        assertThat(TestMails.allText(receipt(nextHop)))
                .contains("強制BCC変換", "Forced BCC: recipients did not see each other")
                .contains("https://files.example.jp/s/" + mail.recorded().manageToken());
    }

    @Test
    void applyWhenUnchangedWithForcedBccThenReceiptWithoutLinks() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL);
        mail.forceBcc();
        mail.passUnchanged();

        step(nextHop).apply(mail);

        assertThat(TestMails.allText(receipt(nextHop)))
                .contains("Forced BCC: recipients did not see each other", EXTERNAL, INTERNAL)
                .doesNotContain("/s/", "a.pdf");
    }

    @Test
    void applyWhenUnchangedWithoutForcedBccThenNoReceipt() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL);
        mail.passUnchanged();

        ReceiptStep step = step(nextHop);
        step.apply(mail);

        assertThat(nextHop.sent).isEmpty();
        assertThat(step.appliesToUnchangedMail()).isTrue();
    }

    private static MimeMessage receipt(RecordingNextHop hop) throws Exception {
        assertThat(hop.sent).hasSize(1);
        return new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(hop.sent.get(0).bytes()));
    }

    @Test
    void applyWhenEncryptedFilesThenReceiptNamesThemAndCarriesOneFindingHeader() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL);
        mail.encryptedFiles(java.util.List.of("a.pdf"));

        step(nextHop).apply(mail);

        MimeMessage receipt = receipt(nextHop);
        assertThat(receipt.getHeader("X-Todoke-Finding")).containsExactly("encrypted-file");
        assertThat(TestMails.allText(receipt)).contains("Password-protected files (PPAP)", "パスワード付きファイル");
    }

    @Test
    void applyWhenNoEncryptedFilesThenNoFindingHeader() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL);

        step(nextHop).apply(mail);

        MimeMessage receipt = receipt(nextHop);
        assertThat(receipt.getHeader("X-Todoke-Finding")).isNull();
        assertThat(TestMails.allText(receipt)).doesNotContain("PPAP");
    }

    @Test
    void applyWhenRecipientsAutoAddedThenReceiptListsThemAndWhichGotTheOriginal() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        new AutoAddStep(new AutoAddProperties(java.util.List.of(
                        new AutoAddProperties.Rule("*", "archive@example.jp", "bcc", true),
                        new AutoAddProperties.Rule("*", "boss@supervisors.example", "bcc", false))))
                .apply(mail);
        new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail);
        mail.parsed(new dev.todoke.mime.MimeParser(dev.todoke.mime.MimeLimits.defaults()).parse(mail.spool()));
        fixture.storeStep().apply(mail);

        step(nextHop).apply(mail);

        String text = TestMails.allText(receipt(nextHop));
        assertThat(text)
                .contains("宛先自動追加", "Auto-added recipients: the following recipients were added by a rule as Bcc")
                .contains("archive@example.jp (原本・添付ファイル付き / the original with its attachments)")
                .contains("boss@supervisors.example");
        assertThat(text).doesNotContain("boss@supervisors.example (原本");
    }

    @Test
    void applyWhenVerdictKnownForOneRecipientThenReceiptShowsItAndNotCheckedYetForTheOther() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL, StepFixture.EXTERNAL_2);
        mail.decide(
                EXTERNAL,
                new RecipientPolicy.Outcome(RecipientPolicy.Decision.LINK, "", "暗号化あり / Encrypted: the server"));

        step(nextHop).apply(mail);

        String text = TestMails.allText(receipt(nextHop));
        assertThat(text).contains("TLS: 暗号化あり / Encrypted: the server", "TLS: 未確認 / not checked yet");
    }

    @Test
    void applyWhenNullSenderThenNoReceipt() throws Exception {
        MailTransaction mail = fixture.mail("", raw, EXTERNAL);

        step(nextHop).apply(mail);

        assertThat(nextHop.sent).isEmpty();
    }

    @Test
    void applyWhenNextHopDownThenSystemMailException() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL);

        assertThatThrownBy(() -> step(nextHop.down()).apply(mail)).isInstanceOf(SystemMailException.class);
    }
}
