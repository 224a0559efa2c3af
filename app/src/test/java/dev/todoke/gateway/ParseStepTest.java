package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ParseStepTest extends StepTestBase {

    static final GatewayProperties DEFAULTS =
            properties(GatewayProperties.Encrypted.PASS, GatewayProperties.Signed.UNWRAP);

    static GatewayProperties properties(GatewayProperties.Encrypted encrypted, GatewayProperties.Signed signed) {
        return new GatewayProperties(
                encrypted, signed, "Refused: {reason}", "No encrypted mail here", "No signed mail here", true);
    }

    @Test
    void applyWhenMessageParsesThenContinueWithParsedMessage() throws Exception {
        MailTransaction mail = fixture.mail(
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1, 2}).build(), EXTERNAL);

        Next next = new ParseStep(new MimeParser(MimeLimits.defaults()), DEFAULTS).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.parsed().attachments()).hasSize(1);
        assertThat(mail.parsed().subject()).isEqualTo("見積書の送付 / Quotation");
    }

    @Test
    void applyWhenMessageBreaksALimitThenRefusal560WithConfiguredTextAndReason() throws Exception {
        MailTransaction mail = fixture.mail(
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1, 2}).build(), EXTERNAL);
        MimeParser shallow = new MimeParser(new MimeLimits(1, 500, 262144, 65536));

        assertThatThrownBy(() -> new ParseStep(shallow, DEFAULTS).apply(mail))
                .isInstanceOfSatisfying(MailRefusal.class, r -> {
                    assertThat(r.enhancedStatus()).isEqualTo("5.6.0");
                    assertThat(r.text()).startsWith("Refused: ").isEqualTo("Refused: " + r.reason());
                });
        assertThat(mail.parsed()).isNull();
    }

    @Test
    void applyWhenSpoolGoneThenIOException() throws Exception {
        MailTransaction mail = fixture.mail(new byte[0], EXTERNAL);
        Files.delete(mail.spool());

        assertThatThrownBy(() -> new ParseStep(new MimeParser(MimeLimits.defaults()), DEFAULTS).apply(mail))
                .isInstanceOf(IOException.class);
    }
}
