package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static dev.todoke.gateway.StepFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.gateway.MailTransaction.AddedRecipient;
import dev.todoke.gateway.RecipientPolicy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoAddStepTest extends StepTestBase {

    private static final String ARCHIVE = "archive@example.jp";
    private static final String SUPERVISOR = "boss@supervisors.example";

    private final byte[] raw = StepFixture.withOneAttachment();

    private static AutoAddStep step(AutoAddProperties.Rule... rules) {
        return new AutoAddStep(new AutoAddProperties(List.of(rules)));
    }

    private static AutoAddProperties.Rule rule(String matchSender, String address, boolean original) {
        return new AutoAddProperties.Rule(matchSender, address, "bcc", original);
    }

    @Test
    void applyWhenSenderMatchesThenRecipientsAddedToTheEnvelopeInRuleOrder() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        var fingerprint = mail.envelope().fingerprint();

        Next next =
                step(rule("*", ARCHIVE, true), rule(SENDER, SUPERVISOR, false)).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.envelope().recipients()).containsExactly(EXTERNAL, ARCHIVE, SUPERVISOR);
        assertThat(mail.envelope().sender()).isEqualTo(SENDER);
        assertThat(mail.envelope().fingerprint()).isEqualTo(fingerprint);
        assertThat(mail.addedRecipients())
                .containsExactly(
                        new AddedRecipient(ARCHIVE, true, "todoke.recipients.auto-add[0]"),
                        new AddedRecipient(SUPERVISOR, false, "todoke.recipients.auto-add[1]"));
    }

    @ParameterizedTest
    @CsvSource({
        "sender@example.jp, sender@example.jp, true",
        "Sender@Example.JP, sender@example.jp, true",
        "@example.jp, sender@example.jp, true",
        "@EXAMPLE.jp, Sender@example.JP, true",
        "@example.jp, sender@tokyo.example.jp, false",
        "@example.jp, sender@notexample.jp, false",
        "other@example.jp, sender@example.jp, false",
        "*, sender@tokyo.example.jp, true",
    })
    void matchesWhenPatternThenAddressDomainOrAll(String pattern, String sender, boolean matches) {
        assertThat(rule(pattern, ARCHIVE, false).matches(sender)).isEqualTo(matches);
    }

    @Test
    void matchesWhenNullSenderThenOnlyTheWildcard() {
        assertThat(rule("*", ARCHIVE, false).matches("")).isTrue();
        assertThat(rule("@example.jp", ARCHIVE, false).matches("")).isFalse();
    }

    @Test
    void applyWhenSenderDoesNotMatchThenEnvelopeUnchanged() throws Exception {
        MailTransaction mail = fixture.mail("someone@tokyo.example.jp", raw, EXTERNAL);

        step(rule("@example.jp", SUPERVISOR, false)).apply(mail);

        assertThat(mail.envelope().recipients()).containsExactly(EXTERNAL);
        assertThat(mail.addedRecipients()).isEmpty();
    }

    @Test
    void applyWhenAddressAlreadyARecipientThenNotAddedTwice() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL, "Archive@Example.JP");

        step(rule("*", ARCHIVE, true), rule("*", ARCHIVE, false)).apply(mail);

        assertThat(mail.envelope().recipients()).containsExactly(EXTERNAL, "Archive@Example.JP");
        assertThat(mail.addedRecipients()).isEmpty();
    }

    @Test
    void policyStepWhenAddedOriginalThenPassThroughEvenOutsideAndOthersAsThePolicySays() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL, INTERNAL);
        step(rule("*", "journal@archive-service.example", true), rule("*", SUPERVISOR, false))
                .apply(mail);

        new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail);

        assertThat(mail.recipientsWith(Decision.PASS_THROUGH))
                .containsExactly(INTERNAL, "journal@archive-service.example");
        assertThat(mail.recipientsWith(Decision.LINK)).containsExactly(EXTERNAL, SUPERVISOR);
    }

    @Test
    void ruleWhenAsIsNotBccOrAddressInvalidThenRejected() {
        assertThatThrownBy(() -> new AutoAddProperties.Rule("*", ARCHIVE, "cc", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only bcc");
        assertThatThrownBy(() -> new AutoAddProperties.Rule("*", "archive", "bcc", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a mail address");
        assertThat(new AutoAddProperties.Rule("*", ARCHIVE, "BCC", false).as()).isEqualTo("bcc");
    }
}
