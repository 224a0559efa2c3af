package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailPipelineTest extends StepTestBase {

    private final List<String> ran = new ArrayList<>();

    /** A step that records its name and answers {@code next}. */
    private MailStep step(String name, Next next, boolean forUnchanged) {
        return new MailStep() {
            @Override
            public Next apply(MailTransaction mail) {
                ran.add(name);
                return next;
            }

            @Override
            public boolean appliesToUnchangedMail() {
                return forUnchanged;
            }
        };
    }

    private MailTransaction mail() throws Exception {
        return fixture.mail(new byte[0], StepFixture.EXTERNAL);
    }

    @Test
    void runWhenEveryStepContinuesThenAllRunInOrder() throws Exception {
        MailTransaction mail = mail();

        new MailPipeline(List.of(
                        step("a", Next.CONTINUE, false),
                        step("b", Next.CONTINUE, false),
                        step("c", Next.CONTINUE, true)))
                .run(mail);

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(mail.isUnchanged()).isFalse();
    }

    @Test
    void runWhenAStepPassesUnchangedThenOnlyLaterStepsForUnchangedMailRun() throws Exception {
        MailTransaction mail = mail();

        new MailPipeline(List.of(
                        step("seal", Next.PASS_UNCHANGED, false),
                        step("parse", Next.CONTINUE, false),
                        step("relay", Next.CONTINUE, true),
                        step("receipt", Next.CONTINUE, false)))
                .run(mail);

        assertThat(ran).containsExactly("seal", "relay");
        assertThat(mail.isUnchanged()).isTrue();
    }

    @Test
    void runWhenAStepIsDoneThenNothingAfterItRuns() throws Exception {
        new MailPipeline(List.of(step("store", Next.DONE, false), step("relay", Next.CONTINUE, true))).run(mail());

        assertThat(ran).containsExactly("store");
    }

    @Test
    void runWhenAStepRefusesThenRefusalPropagatesAndNothingAfterItRuns() {
        MailStep refusing = mail -> {
            throw new MailRefusal("5.7.1", "no", "policy");
        };

        assertThatThrownBy(() -> new MailPipeline(List.of(refusing, step("relay", Next.CONTINUE, true))).run(mail()))
                .isInstanceOf(MailRefusal.class);
        assertThat(ran).isEmpty();
    }
}
