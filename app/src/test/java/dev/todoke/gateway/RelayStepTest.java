package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static dev.todoke.gateway.StepFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.RelayException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayStepTest extends StepTestBase {

    private final RecordingNextHop nextHop = new RecordingNextHop();
    private final byte[] raw = StepFixture.withOneAttachment();

    private MessageContent content(String name, String text) throws Exception {
        return MessageContent.of(Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8));
    }

    @Test
    void applyWhenUnchangedThenOriginalToEveryRecipientInOneTransaction() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL, INTERNAL);
        mail.passUnchanged();

        new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT).apply(mail);

        assertThat(nextHop.sent).singleElement().satisfies(sent -> {
            assertThat(sent.sender()).isEqualTo(SENDER);
            assertThat(sent.recipients()).containsExactly(EXTERNAL, INTERNAL);
            assertThat(sent.bytes()).isEqualTo(raw);
        });
    }

    @Test
    void applyWhenUnchangedWithForcedBccCopiesThenOriginalToOthersAndEachCopyAlone() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL, INTERNAL, EXTERNAL_2);
        mail.passUnchanged();
        mail.addCopy(EXTERNAL, content("c1.eml", "copy one"));
        mail.addCopy(EXTERNAL_2, content("c2.eml", "copy two"));

        new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT).apply(mail);

        assertThat(nextHop.sent)
                .extracting(RecordingNextHop.Sent::recipients)
                .containsExactly(List.of(INTERNAL), List.of(EXTERNAL), List.of(EXTERNAL_2));
        assertThat(nextHop.sent.get(0).bytes()).isEqualTo(raw);
        assertThat(nextHop.sent.get(1).text()).isEqualTo("copy one");
    }

    @Test
    void applyWhenCopiesThenOriginalToPassThroughFirstThenEachCopyAlone() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL, EXTERNAL_2);
        mail.addCopy(EXTERNAL, content("c1.eml", "copy one"));
        mail.addCopy(EXTERNAL_2, content("c2.eml", "copy two"));

        Next next = new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(nextHop.sent)
                .extracting(RecordingNextHop.Sent::recipients)
                .containsExactly(List.of(INTERNAL), List.of(EXTERNAL), List.of(EXTERNAL_2));
        assertThat(nextHop.sent).extracting(RecordingNextHop.Sent::sender).containsOnly(SENDER);
        assertThat(nextHop.sent.get(0).bytes()).isEqualTo(raw);
        assertThat(nextHop.sent.get(2).text()).isEqualTo("copy two");
    }

    @Test
    void applyWhenNoPassThroughRecipientThenOnlyCopies() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        mail.addCopy(EXTERNAL, content("c1.eml", "copy one"));

        new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT).apply(mail);

        assertThat(nextHop.sent)
                .singleElement()
                .extracting(RecordingNextHop.Sent::text)
                .isEqualTo("copy one");
    }

    @Test
    void applyWhenNextHopDownThenRelayException() throws Exception {
        MailTransaction mail = fixture.mail(raw, INTERNAL);
        mail.passUnchanged();

        assertThatThrownBy(() -> new RelayStep(nextHop.down(), StepFixture.DURABLE_AT_COMMIT).apply(mail))
                .isInstanceOf(RelayException.class);
    }

    @Test
    void appliesToUnchangedMailWhenAskedThenTrue() {
        assertThat(new RelayStep(nextHop, StepFixture.DURABLE_AT_COMMIT).appliesToUnchangedMail())
                .isTrue();
    }
}
