package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.MailStep.Next;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsCheckStepTest extends StepTestBase {

    /** Records what the step asks for; knows nothing. */
    static final class RecordingTls implements RecipientTls {
        final List<List<String>> started = new ArrayList<>();

        @Override
        public void startChecks(Collection<String> domains) {
            started.add(List.copyOf(domains));
        }

        @Override
        public Optional<String> knownVerdict(String domain) {
            return Optional.empty();
        }
    }

    private final RecordingTls tls = new RecordingTls();
    private final byte[] raw = StepFixture.withOneAttachment();

    @Test
    void applyWhenExternalRecipientsThenOneCallWithEachExternalDomainOnce() throws Exception {
        MailTransaction mail =
                fixture.mail(raw, EXTERNAL, INTERNAL, "Carol@Partner.Example", EXTERNAL_2, "dave@tokyo.example.jp");

        Next next = new TlsCheckStep(tls, fixture.todoke).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(tls.started).containsExactly(List.of("partner.example", "other.example"));
    }

    @Test
    void applyWhenOnlyInternalOrRoutedRecipientsThenNothingStarted() throws Exception {
        MailTransaction mail = fixture.mail(raw, INTERNAL, "bob%evil.example@example.jp");

        new TlsCheckStep(tls, fixture.todoke).apply(mail);

        assertThat(tls.started).isEmpty();
    }

    @Test
    void applyWhenRecipientAddedByARuleThenItsDomainIsCheckedToo() throws Exception {
        MailTransaction mail = fixture.mail(raw, INTERNAL);
        new AutoAddStep(new AutoAddProperties(
                        List.of(new AutoAddProperties.Rule("*", "boss@supervisors.example", "bcc", false))))
                .apply(mail);

        new TlsCheckStep(tls, fixture.todoke).apply(mail);

        assertThat(tls.started).containsExactly(List.of("supervisors.example"));
    }
}
