package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.InspectionProperties.Action;
import dev.todoke.gateway.MailStep.Next;
import dev.todoke.inspection.PpapSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InspectionStepTest extends StepTestBase {

    static InspectionProperties properties(Action action) {
        return InspectionProperties.withEncryptedFiles(action);
    }

    private MailTransaction mail(String name, byte[] content) throws Exception {
        byte[] raw = TestMails.mail()
                .to(EXTERNAL)
                .attach("notes.txt", "plain".getBytes(StandardCharsets.US_ASCII))
                .attach(name, content)
                .build();
        return fixture.parsed(raw, EXTERNAL);
    }

    private Next apply(Action action, MailTransaction mail) throws Exception {
        return new InspectionStep(properties(action), fixture.audit).apply(mail);
    }

    private List<String> audited() {
        return fixture.jdbc
                .sql("select kind || ' ' || detail from audit_event")
                .query(String.class)
                .list();
    }

    @Test
    void applyWhenWarnAndEncryptedFilesThenReceiptNamesThemAndAudit() throws Exception {
        for (byte[] file : List.of(
                PpapSamples.zip(true),
                PpapSamples.aesZip(),
                PpapSamples.pdf(true),
                PpapSamples.cfb(true),
                PpapSamples.sevenZip(true, false),
                PpapSamples.rar5(true, false))) {
            MailTransaction mail = mail("見積.bin", file);

            assertThat(apply(Action.WARN, mail)).isEqualTo(Next.CONTINUE);

            assertThat(mail.encryptedFiles()).containsExactly("見積.bin");
        }
        assertThat(audited())
                .hasSize(6)
                .allMatch(line -> line.equals("encrypted-file 1 password-protected file(s), warn"));
    }

    @Test
    void applyWhenUnencryptedTwinsThenNothingFoundAndNothingAudited() throws Exception {
        for (byte[] file : List.of(
                PpapSamples.zip(false),
                PpapSamples.pdf(false),
                PpapSamples.cfb(false),
                PpapSamples.sevenZip(false, false),
                PpapSamples.rar5(false, false))) {
            MailTransaction mail = mail("plain.bin", file);

            assertThat(apply(Action.REFUSE, mail)).isEqualTo(Next.CONTINUE);

            assertThat(mail.encryptedFiles()).isEmpty();
        }
        assertThat(audited()).isEmpty();
    }

    @Test
    void applyWhenRefuseThenPermanentRefusalInAsciiByNumber() throws Exception {
        MailTransaction mail = mail("見積.zip", PpapSamples.zip(true));

        assertThatThrownBy(() -> apply(Action.REFUSE, mail)).isInstanceOfSatisfying(MailRefusal.class, r -> {
            assertThat(r.enhancedStatus()).isEqualTo("5.7.1");
            assertThat(r.text())
                    .isEqualTo("Password-protected file 2 refused: send it without a password;"
                            + " Todoke protects it with a link");
            assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(r.text()))
                    .isTrue();
        });
        assertThat(audited()).containsExactly("encrypted-file 1 password-protected file(s), refuse");
    }

    @Test
    void applyWhenRefuseAndPlainAsciiNameThenTheNameToo() throws Exception {
        MailTransaction mail = mail("report.zip", PpapSamples.zip(true));

        assertThatThrownBy(() -> apply(Action.REFUSE, mail))
                .isInstanceOf(MailRefusal.class)
                .hasMessageStartingWith("Password-protected file 2 (report.zip) refused");
    }

    @Test
    void applyWhenHoldThenHandledAsWarn() throws Exception {
        MailTransaction mail = mail("a.zip", PpapSamples.zip(true));

        assertThat(apply(Action.HOLD, mail)).isEqualTo(Next.CONTINUE);

        assertThat(mail.encryptedFiles()).containsExactly("a.zip");
        assertThat(audited()).containsExactly("encrypted-file 1 password-protected file(s), hold");
    }

    @Test
    void applyWhenLogThenAuditedButNotInTheReceipt() throws Exception {
        MailTransaction mail = mail("a.zip", PpapSamples.zip(true));

        assertThat(apply(Action.LOG, mail)).isEqualTo(Next.CONTINUE);

        assertThat(mail.encryptedFiles()).isEmpty();
        assertThat(audited()).containsExactly("encrypted-file 1 password-protected file(s), log");
    }

    @Test
    void applyWhenOffThenNotLookedAt() throws Exception {
        MailTransaction mail = mail("a.zip", PpapSamples.zip(true));

        assertThat(apply(Action.OFF, mail)).isEqualTo(Next.CONTINUE);

        assertThat(mail.encryptedFiles()).isEmpty();
        assertThat(audited()).isEmpty();
    }

    @Test
    void applyWhenEncryptedFileInsideAZipThenFound() throws Exception {
        MailTransaction mail = mail("bundle.zip", PpapSamples.zipHolding("inner.pdf", PpapSamples.pdf(true)));

        apply(Action.WARN, mail);

        assertThat(mail.encryptedFiles()).containsExactly("bundle.zip");
    }
}
