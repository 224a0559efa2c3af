package dev.todoke.mime;

import static dev.todoke.mime.TestMessages.base64Lines;
import static dev.todoke.mime.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted and signed are read from the content, not from the label. */
class SecurityDetectorTest {

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(MimeLimits.defaults());

    private ParsedMessage parse(TestMessages m) throws Exception {
        return parser.parse(m.write(dir));
    }

    static TestMessages pkcs7(String smimeType, byte[] body) {
        return message()
                .headers("smime")
                .line(
                        "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m",
                        "Content-Disposition: attachment; filename=smime.p7m",
                        "Content-Transfer-Encoding: base64",
                        "")
                .line(base64Lines(body));
    }

    static TestMessages pgp(String control, String... data) {
        return message()
                .headers("pgp")
                .line("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"", "")
                .part("e", "Content-Type: application/pgp-encrypted", "", control)
                .part("e", "Content-Type: application/octet-stream; name=\"encrypted.asc\"", "")
                .line(data)
                .close("e");
    }

    @Test
    void securityWhenCmsEnvelopedDataThenEncryptedAndNothingLinked() throws Exception {
        ParsedMessage parsed = parse(pkcs7("enveloped-data", CmsFixtures.envelopedData("secret")));
        assertThat(parsed.security()).isEqualTo(Security.ENCRYPTED);
        assertThat(parsed.attachments()).isEmpty();
    }

    @Test
    void securityWhenPkcs7LabelButNoCmsThenPlainAndTheFileIsLinked() throws Exception {
        ParsedMessage parsed =
                parse(pkcs7("enveloped-data", "PK\u0003\u0004 a zip file".getBytes(StandardCharsets.UTF_8)));
        assertThat(parsed.security()).isEqualTo(Security.NONE);
        assertThat(parsed.attachments())
                .singleElement()
                .satisfies(a -> assertThat(a.fileName()).isEqualTo("smime.p7m"));
    }

    @Test
    void securityWhenCmsSignedDataThenSigned() throws Exception {
        assertThat(parse(pkcs7("signed-data", CmsFixtures.signedData("hello"))).security())
                .isEqualTo(Security.SIGNED);
    }

    @Test
    void securityWhenPgpMimeVersionOneAndArmouredMessageThenEncrypted() throws Exception {
        ParsedMessage parsed =
                parse(pgp("Version: 1", "-----BEGIN PGP MESSAGE-----", "", "hQEMA", "-----END PGP MESSAGE-----"));
        assertThat(parsed.security()).isEqualTo(Security.ENCRYPTED);
        assertThat(parsed.attachments()).isEmpty();
    }

    @Test
    void securityWhenPgpLabelButNoOpenPgpDataThenPlainAndPartsLinked() throws Exception {
        assertThat(parse(pgp("Version: 1", "just a text file")).attachments()).hasSize(2);
        assertThat(parse(pgp("Version: 2", "-----BEGIN PGP MESSAGE-----")).security())
                .isEqualTo(Security.NONE);
    }

    @Test
    void openPgpMessageWhenBinaryPacketHeaderThenRecognised() {
        assertThat(SecurityDetector.openPgpMessage(new byte[] {(byte) 0x85, 0x01}))
                .isTrue(); // old format, tag 1
        assertThat(SecurityDetector.openPgpMessage(new byte[] {(byte) 0xd2, 0x01}))
                .isTrue(); // new format, tag 18
        assertThat(SecurityDetector.openPgpMessage(new byte[] {(byte) 0xcb, 0x01}))
                .isFalse(); // literal data
        assertThat(SecurityDetector.openPgpMessage("%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    @Test
    void parseWhenOpaqueSignedDataThenUnwrappedLikeMultipartSigned() throws Exception {
        String signed = CmsFixtures.SIGNED_CONTENT_WITH_PDF;
        ParsedMessage parsed = parse(pkcs7("signed-data", CmsFixtures.signedData(signed)));
        assertThat(parsed.security()).isEqualTo(Security.SIGNED);
        assertThat(parsed.subject()).isEqualTo("smime");
        assertThat(parsed.attachments()).extracting(Attachment::fileName).containsExactly("a.pdf");
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        new MessageRewriter(new java.util.Random(1))
                .write(parsed, new RewriteSpec("NOTICE", "<p>NOTICE</p>", java.util.List.of(), n -> false), copy);
        assertThat(copy.toString(StandardCharsets.UTF_8))
                .contains("Subject: smime", "multipart/mixed")
                .doesNotContain("JVBERi0xLjQK", "pkcs7");
        Path derived = parsed.source();
        assertThat(derived).exists();
        parsed.close();
        assertThat(derived).doesNotExist();
    }
}
