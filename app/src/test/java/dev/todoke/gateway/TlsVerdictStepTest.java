package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsVerdictStepTest extends StepTestBase {

    /** Knows partner.example only, and records what it was asked. */
    static final class KnowingTls implements RecipientTls {
        final List<String> asked = new ArrayList<>();

        @Override
        public void startChecks(Collection<String> domains) {
            throw new AssertionError("the verdict step starts no check");
        }

        @Override
        public Optional<String> knownVerdict(String domain) {
            asked.add(domain);
            return domain.equals("partner.example") ? Optional.of("暗号化あり / Encrypted") : Optional.empty();
        }
    }

    private final KnowingTls tls = new KnowingTls();
    private final byte[] raw = StepFixture.withOneAttachment();

    @Test
    void applyWhenVerdictKnownNowThenFilledInForEachRecipientOfThatDomain() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, "carol@partner.example", EXTERNAL_2, INTERNAL);

        Next next = new TlsVerdictStep(tls, fixture.todoke).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.decision(EXTERNAL)).isEqualTo(new Outcome(Decision.LINK, "", "暗号化あり / Encrypted"));
        assertThat(mail.decision("carol@partner.example").tlsVerdict()).isEqualTo("暗号化あり / Encrypted");
        assertThat(mail.decision(EXTERNAL_2).tlsVerdict()).isEmpty();
        assertThat(mail.decision(INTERNAL).tlsVerdict()).isEmpty();
        assertThat(tls.asked).containsExactlyInAnyOrder("partner.example", "other.example");
        assertThat(mail.decisions().keySet()).containsExactly(EXTERNAL, "carol@partner.example", EXTERNAL_2, INTERNAL);
    }

    @Test
    void applyWhenPolicyAlreadyNamedAVerdictThenKept() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        mail.decide(EXTERNAL, new Outcome(Decision.LINK, "rule", "from the policy"));

        new TlsVerdictStep(tls, fixture.todoke).apply(mail);

        assertThat(mail.decisions()).isEqualTo(Map.of(EXTERNAL, new Outcome(Decision.LINK, "rule", "from the policy")));
        assertThat(tls.asked).isEmpty();
    }

    @Test
    void applyWhenNullSenderThenNothingAsked() throws Exception {
        MailTransaction mail = fixture.mail("", raw, EXTERNAL);
        new RecipientPolicyStep(RecipientPolicy.byInternalDomains(fixture.todoke)).apply(mail);

        new TlsVerdictStep(tls, fixture.todoke).apply(mail);

        assertThat(tls.asked).isEmpty();
        assertThat(new TlsVerdictStep(tls, fixture.todoke).appliesToUnchangedMail())
                .isTrue();
    }
}
