package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import dev.todoke.policy.Policies;
import org.junit.jupiter.api.Test;

class RecipientPolicyStepTest extends StepTestBase {

    private static final byte[] RAW = "Subject: x\r\n\r\nbody\r\n".getBytes();

    @Test
    void applyWhenExternalRecipientsThenContinueWithEveryDecisionInEnvelopeOrder() throws Exception {
        MailTransaction mail = fixture.mail(RAW, EXTERNAL, INTERNAL, EXTERNAL_2);

        Next next = new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.decisions()).containsOnlyKeys(EXTERNAL, INTERNAL, EXTERNAL_2);
        assertThat(mail.recipientsWith(Decision.LINK)).containsExactly(EXTERNAL, EXTERNAL_2);
        assertThat(mail.recipientsWith(Decision.PASS_THROUGH)).containsExactly(INTERNAL);
    }

    @Test
    void applyWhenEveryRecipientInternalThenPassUnchanged() throws Exception {
        MailTransaction mail = fixture.mail(RAW, INTERNAL);

        assertThat(new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail))
                .isEqualTo(Next.PASS_UNCHANGED);
    }

    @Test
    void applyWhenPolicyRefusesOneRecipientThenRefusal571NamingRecipientAndRule() throws Exception {
        RecipientPolicy policy = new RecipientPolicy() {
            @Override
            public Decision decide(String recipient) {
                return explain(recipient).decision();
            }

            @Override
            public Outcome explain(String recipient) {
                return recipient.equals(EXTERNAL_2)
                        ? new Outcome(Decision.REFUSE, "no mail to other.example", "")
                        : new Outcome(Decision.LINK, "", "");
            }
        };
        MailTransaction mail = fixture.mail(RAW, EXTERNAL, EXTERNAL_2);

        assertThatThrownBy(() -> new RecipientPolicyStep(policy).apply(mail))
                .isInstanceOfSatisfying(MailRefusal.class, r -> {
                    assertThat(r.code()).isEqualTo(554);
                    assertThat(r.enhancedStatus()).isEqualTo("5.7.1");
                    assertThat(r.text())
                            .isEqualTo("Delivery to " + EXTERNAL_2 + " is refused by policy: no mail to other.example");
                });
    }

    @Test
    void applyWhenRefusedWithoutRuleThenTextWithoutReason() throws Exception {
        MailTransaction mail = fixture.mail(RAW, EXTERNAL);

        assertThatThrownBy(() -> new RecipientPolicyStep(r -> Decision.REFUSE).apply(mail))
                .isInstanceOfSatisfying(
                        MailRefusal.class,
                        r -> assertThat(r.text()).isEqualTo("Delivery to " + EXTERNAL + " is refused by policy"));
    }

    @Test
    void applyWhenPoliciesAreStoredThenEachRecipientsStoredChoiceIsPassedAndTheExpiryKept() throws Exception {
        Policies stored = Policies.of("""
                {"recipientDomains": [{"domain": "other.example", "settings": {"tls": "refuse-if-no-tls"}}],
                 "senders": [{"group": "sales", "settings": {"defaultExpiry": "PT12H"}}]}
                """);
        java.util.Map<String, Policies.TlsChoice> asked = new java.util.LinkedHashMap<>();
        RecipientPolicy policy = new RecipientPolicy() {
            @Override
            public Decision decide(String recipient) {
                return Decision.LINK;
            }

            @Override
            public Outcome explain(String recipient, Policies.TlsChoice choice) {
                asked.put(recipient, choice);
                return new Outcome(Decision.LINK, "", "");
            }
        };
        java.util.List<String> groupLookups = new java.util.ArrayList<>();
        MailTransaction mail = fixture.mail(RAW, EXTERNAL, EXTERNAL_2);

        new RecipientPolicyStep(policy, () -> stored, sender -> {
                    groupLookups.add(sender);
                    return java.util.Set.of("sales");
                })
                .apply(mail);

        assertThat(asked.get(EXTERNAL)).isEqualTo(Policies.TlsChoice.NONE);
        assertThat(asked.get(EXTERNAL_2).rule()).map(Policies.TlsRule::action).contains("refuse-if-no-tls");
        assertThat(groupLookups).containsExactly(StepFixture.SENDER);
        assertThat(mail.storedExpiry().defaultExpiry()).contains(java.time.Duration.ofHours(12));
    }
}
