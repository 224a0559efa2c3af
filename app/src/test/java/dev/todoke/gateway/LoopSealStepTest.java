package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.TestMailParts;
import dev.todoke.relay.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopSealStepTest extends StepTestBase {

    private MailSeal seal;
    private LoopSealStep step;

    @BeforeEach
    void setUp() {
        seal = TestMailParts.seal(fixture.todoke);
        step = new LoopSealStep(seal);
    }

    @Test
    void applyWhenSealValidThenPassUnchanged() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();
        byte[] sealed;
        try (InputStream in = seal.seal("notice", MessageContent.of(Files.write(dir.resolve("m.eml"), raw)))
                .open()) {
            sealed = in.readAllBytes();
        }

        assertThat(step.apply(fixture.mail(sealed, EXTERNAL))).isEqualTo(Next.PASS_UNCHANGED);
    }

    @Test
    void applyWhenNoSealThenContinue() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();

        assertThat(step.apply(fixture.mail(raw, EXTERNAL))).isEqualTo(Next.CONTINUE);
    }

    @Test
    void applyWhenForgedSealThenContinue() throws Exception {
        byte[] raw = TestMails.mail()
                .to(EXTERNAL)
                .header(MailSeal.HEADER + ": v1 kind=notice mac=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .build();

        assertThat(step.apply(fixture.mail(raw, EXTERNAL))).isEqualTo(Next.CONTINUE);
    }

    @Test
    void applyWhenSpoolUnreadableThenIOException() throws Exception {
        MailTransaction mail = fixture.mail(new byte[0], EXTERNAL);
        Files.delete(mail.spool());

        assertThatThrownBy(() -> step.apply(mail)).isInstanceOf(IOException.class);
    }
}
