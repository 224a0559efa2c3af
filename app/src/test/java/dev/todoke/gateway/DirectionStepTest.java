package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.MailStep.Next;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectionStepTest extends StepTestBase {

    private static byte[] raw() throws Exception {
        return TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sender@example.jp", "Sender@Tokyo.Example.JP", "bob%x@example.jp", ""})
    void applyWhenSenderInternalOrNullThenContinue(String sender) throws Exception {
        DirectionStep step = new DirectionStep(fixture.todoke);

        assertThat(step.apply(fixture.mail(sender, raw(), EXTERNAL, INTERNAL))).isEqualTo(Next.CONTINUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@partner.example", "sender@example.jp.evil.example", "sender@notexample.jp"})
    void applyWhenSenderOutsideInternalDomainsThenPassUnchanged(String sender) throws Exception {
        DirectionStep step = new DirectionStep(fixture.todoke);

        assertThat(step.apply(fixture.mail(sender, raw(), EXTERNAL, INTERNAL))).isEqualTo(Next.PASS_UNCHANGED);
    }
}
