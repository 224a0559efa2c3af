package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.GatewayProperties.Encrypted;
import dev.todoke.gateway.GatewayProperties.Signed;
import dev.todoke.gateway.MailStep.Next;
import dev.todoke.mime.CmsFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EncryptedSignedStepTest extends StepTestBase {

    /** Real CMS EnvelopedData: only that counts as encrypted (a label alone does not). */
    private static byte[] encrypted() throws Exception {
        String p7m = Base64.getMimeEncoder().encodeToString(CmsFixtures.envelopedData("secret"));
        return bytes("From: a@example.jp\r\nTo: alice@partner.example\r\nSubject: enc\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=smime.p7m\r\n\r\n" + p7m + "\r\n");
    }

    private static final String SIGNED_WITH_ATTACHMENT = """
            From: a@example.jp\r
            To: alice@partner.example\r
            Subject: signed\r
            MIME-Version: 1.0\r
            Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="outer"\r
            \r
            --outer\r
            Content-Type: multipart/mixed; boundary="inner"\r
            \r
            --inner\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            See the file.\r
            --inner\r
            Content-Type: application/octet-stream; name=data.bin\r
            Content-Disposition: attachment; filename=data.bin\r
            Content-Transfer-Encoding: base64\r
            \r
            AAECAw==\r
            --inner--\r
            --outer\r
            Content-Type: application/pkcs7-signature; name=smime.p7s\r
            Content-Transfer-Encoding: base64\r
            \r
            MIAGCSqGSIb3DQEHAqCAMIACAQEx\r
            --outer--\r
            """;

    private Next apply(Encrypted encrypted, Signed signed, byte[] raw) throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        return new EncryptedSignedStep(ParseStepTest.properties(encrypted, signed)).apply(mail);
    }

    private static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void applyWhenEncryptedAndPassThenPassUnchanged() throws Exception {
        assertThat(apply(Encrypted.PASS, Signed.UNWRAP, encrypted())).isEqualTo(Next.PASS_UNCHANGED);
    }

    @Test
    void applyWhenEncryptedAndRefuseThenRefusal570WithConfiguredText() {
        assertThatThrownBy(() -> apply(Encrypted.REFUSE, Signed.UNWRAP, encrypted()))
                .isInstanceOfSatisfying(MailRefusal.class, r -> {
                    assertThat(r.enhancedStatus()).isEqualTo("5.7.0");
                    assertThat(r.text()).isEqualTo("No encrypted mail here");
                });
    }

    @Test
    void applyWhenNoAttachmentsThenPassUnchanged() throws Exception {
        assertThat(apply(
                        Encrypted.REFUSE,
                        Signed.REFUSE,
                        TestMails.mail().to(EXTERNAL).build()))
                .isEqualTo(Next.PASS_UNCHANGED);
    }

    @Test
    void applyWhenSignedWithAttachmentAndUnwrapThenContinue() throws Exception {
        assertThat(apply(Encrypted.PASS, Signed.UNWRAP, bytes(SIGNED_WITH_ATTACHMENT)))
                .isEqualTo(Next.CONTINUE);
    }

    @Test
    void applyWhenSignedWithAttachmentAndRefuseThenRefusal570WithConfiguredText() {
        assertThatThrownBy(() -> apply(Encrypted.PASS, Signed.REFUSE, bytes(SIGNED_WITH_ATTACHMENT)))
                .isInstanceOfSatisfying(MailRefusal.class, r -> {
                    assertThat(r.enhancedStatus()).isEqualTo("5.7.0");
                    assertThat(r.text()).isEqualTo("No signed mail here");
                });
    }

    @Test
    void applyWhenPlainWithAttachmentThenContinue() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();

        assertThat(apply(Encrypted.REFUSE, Signed.REFUSE, raw)).isEqualTo(Next.CONTINUE);
    }
}
