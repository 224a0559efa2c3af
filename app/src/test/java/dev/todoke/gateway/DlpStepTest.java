package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.InspectionProperties.Action;
import dev.todoke.gateway.InspectionProperties.Dlp;
import dev.todoke.gateway.InspectionProperties.Rule;
import dev.todoke.gateway.InspectionReport.Line;
import dev.todoke.gateway.MailStep.Next;
import dev.todoke.inspection.PersonalData;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DlpStepTest extends StepTestBase {

    static final String MY_NUMBER = "123456789018";
    static final String CARD = "4111-1111-1111-1111";
    /** The digits as they might appear anywhere, with or without separators. */
    static final List<String> SECRETS = List.of(MY_NUMBER, CARD, "4111111111111111", "4111 1111 1111 1111");

    private PersonalData personalData;

    static InspectionProperties properties(Action myNumber, Action cardNumber, List<Rule> rules, DataSize maxExtract) {
        InspectionProperties d = InspectionProperties.withEncryptedFiles(Action.WARN);
        return new InspectionProperties(
                d.encryptedFiles(),
                d.maxScanSize(),
                d.scanTimeout(),
                d.archiveLimits(),
                d.maxExpandedSize(),
                d.maxRatio(),
                d.maxDepth(),
                maxExtract,
                d.maxExtractChars(),
                Duration.ofSeconds(20),
                d.extractThreads(),
                new Dlp(myNumber, cardNumber, rules));
    }

    @AfterEach
    void close() {
        if (personalData != null) {
            personalData.close();
        }
    }

    private Next apply(InspectionProperties properties, MailTransaction mail) throws Exception {
        personalData = DlpStep.personalData(properties);
        return new DlpStep(properties, personalData, fixture.audit).apply(mail);
    }

    private MailTransaction mail(String text, String csv) throws Exception {
        byte[] raw = TestMails.mail()
                .to(EXTERNAL)
                .text(text, "ISO-2022-JP")
                .html("<p>見積書を添付します。</p>")
                .attach("名簿.csv", csv.getBytes(Charset.forName("windows-31j")))
                .build();
        return fixture.parsed(raw, EXTERNAL);
    }

    private MailTransaction typicalMail() throws Exception {
        return mail("お世話になります。\r\n個人番号 " + MY_NUMBER + " です。\r\n", "氏名,カード\n山田," + CARD + "\n");
    }

    private List<String> audited() {
        return fixture.jdbc
                .sql("select kind || ' ' || detail from audit_event")
                .query(String.class)
                .list();
    }

    private void assertNoSecretIn(MailTransaction mail) {
        String everything = String.join("\n", audited()) + mail.inspection().snapshot();
        SECRETS.forEach(s -> assertThat(everything).doesNotContain(s));
    }

    @Test
    void applyWhenWarnThenReceiptHasCountsAndLinesAndHeaderValues() throws Exception {
        MailTransaction mail = typicalMail();

        assertThat(apply(properties(Action.WARN, Action.WARN, List.of(), DataSize.ofMegabytes(50)), mail))
                .isEqualTo(Next.CONTINUE);

        assertThat(mail.inspection().snapshot().personalData())
                .containsExactly(
                        new Line("本文 1 / body 1", "my-number 1 (line 2)"),
                        new Line("名簿.csv", "card-number 1 (line 2)"));
        assertThat(mail.inspection().findings()).containsExactly("my-number", "card-number");
        assertThat(audited())
                .containsExactly(
                        "personal-data my-number 1 [body 1 (line 2)] warn," + " card-number 1 [file 1 (line 2)] warn");
        assertNoSecretIn(mail);
    }

    @Test
    void applyWhenRefuseThen554InAsciiWithoutTheNumbers() throws Exception {
        MailTransaction mail = typicalMail();

        assertThatThrownBy(
                        () -> apply(properties(Action.WARN, Action.REFUSE, List.of(), DataSize.ofMegabytes(50)), mail))
                .isInstanceOfSatisfying(MailRefusal.class, r -> {
                    assertThat(r.enhancedStatus()).isEqualTo("5.7.1");
                    assertThat(r.text())
                            .isEqualTo("Personal or payment data refused (card-number 1 in file 1):"
                                    + " remove it, or ask your administrator");
                    assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(r.text()))
                            .isTrue();
                });
        assertThat(audited()).singleElement().asString().contains("card-number 1 [file 1 (line 2)] refuse");
        assertNoSecretIn(mail);
    }

    @Test
    void applyWhenLogThenAuditedButNothingForTheReceipt() throws Exception {
        MailTransaction mail = typicalMail();

        apply(properties(Action.LOG, Action.LOG, List.of(), DataSize.ofMegabytes(50)), mail);

        assertThat(mail.inspection().snapshot().personalData()).isEmpty();
        assertThat(mail.inspection().findings()).isEmpty();
        assertThat(audited()).hasSize(1);
    }

    @Test
    void applyWhenOffThenNotLookedAt() throws Exception {
        MailTransaction mail = typicalMail();

        apply(properties(Action.OFF, Action.OFF, List.of(), DataSize.ofMegabytes(50)), mail);

        assertThat(mail.inspection().snapshot()).isEqualTo(InspectionReport.Snapshot.EMPTY);
        assertThat(audited()).isEmpty();
    }

    @Test
    void applyWhenRuleHoldsThenHandledAsWarnWithTheRuleName() throws Exception {
        MailTransaction mail = mail("社外秘: 取扱注意\r\n", "a,b\n");
        List<Rule> rules = List.of(new Rule("confidential", "社外秘", Action.HOLD), new Rule("draft", "取扱注意", Action.OFF));

        apply(properties(Action.OFF, Action.OFF, rules, DataSize.ofMegabytes(50)), mail);

        assertThat(mail.inspection().snapshot().personalData())
                .containsExactly(new Line("本文 1 / body 1", "confidential 1 (line 1)"));
        assertThat(mail.inspection().findings()).containsExactly("dlp-rule");
        assertThat(audited()).containsExactly("personal-data confidential 1 [body 1 (line 1)] hold");
    }

    @Test
    void applyWhenInvalidCheckDigitsThenNothing() throws Exception {
        MailTransaction mail = mail("個人番号 123456789017\r\n", "カード\n4111-1111-1111-1112\n");

        apply(properties(Action.REFUSE, Action.REFUSE, List.of(), DataSize.ofMegabytes(50)), mail);

        assertThat(audited()).isEmpty();
    }

    @Test
    void applyWhenFileIsOverTheExtractLimitThenTheReceiptSaysItWasNotChecked() throws Exception {
        MailTransaction mail = mail("本文\r\n", "x".repeat(4096) + "\n" + CARD + "\n");

        apply(properties(Action.WARN, Action.REFUSE, List.of(), DataSize.ofKilobytes(1)), mail);

        assertThat(mail.inspection().snapshot().notScanned())
                .containsExactly(new Line("名簿.csv", "大きすぎるため未確認 / larger than 1.0 KB, not checked"));
        assertThat(audited()).isEmpty();
    }
}
