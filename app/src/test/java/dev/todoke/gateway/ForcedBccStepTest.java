package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.MailStep.Next;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ForcedBccStepTest extends StepTestBase {

    /** To and Cc with three distinct external addresses (one twice, in another case), two internal, one Bcc. */
    private static final byte[] RAW = ("From: sender@example.jp\r\n"
                    + "To: \"Partner, Alice\" <" + EXTERNAL + ">, colleague@example.jp,\r\n"
                    + " =?UTF-8?B?5bGx55Sw?= <yamada@third.example>\r\n"
                    + "Cc: Group: " + EXTERNAL_2 + ", boss@sub.example.jp;, ALICE@partner.example\r\n"
                    + "Bcc: hidden@fourth.example\r\nSubject: s\r\n\r\nhello\r\n")
            .getBytes(StandardCharsets.UTF_8);

    private ForcedBccStep step(int threshold) {
        return new ForcedBccStep(new BccProperties(threshold), fixture.todoke);
    }

    @Test
    void applyWhenMoreExternalAddressesThanThresholdThenMarkedForcedBcc() throws Exception {
        MailTransaction mail = fixture.parsed(RAW, EXTERNAL, INTERNAL);

        Next next = step(2).apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.isForcedBcc()).isTrue();
    }

    @Test
    void applyWhenExactlyThresholdThenNotMarked() throws Exception {
        MailTransaction mail = fixture.parsed(RAW, EXTERNAL, INTERNAL);

        step(3).apply(mail);

        assertThat(mail.isForcedBcc()).isFalse();
    }

    @Test
    void applyWhenThresholdZeroThenOffWhateverTheAddresses() throws Exception {
        MailTransaction mail = fixture.parsed(RAW, EXTERNAL, INTERNAL);

        step(0).apply(mail);

        assertThat(mail.isForcedBcc()).isFalse();
    }

    @Test
    void applyWhenOnlyInternalAndBccAddressesThenNotMarked() throws Exception {
        byte[] raw = ("To: a@example.jp, b@sub.example.jp\r\nCc: c@example.jp\r\n"
                        + "Bcc: x@out.example, y@out.example\r\nSubject: s\r\n\r\nhi\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);

        step(1).apply(mail);

        assertThat(mail.isForcedBcc()).isFalse();
    }

    @Test
    void applyWhenRoutedLocalPartInInternalDomainThenCountedExternal() throws Exception {
        byte[] raw = ("To: a@out.example, \"eve@evil.example\"@example.jp\r\nSubject: s\r\n\r\nhi\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);

        step(1).apply(mail);

        assertThat(mail.isForcedBcc()).isTrue();
    }
}
