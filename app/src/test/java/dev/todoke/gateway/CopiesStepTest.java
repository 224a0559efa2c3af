package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.TestMailParts;
import dev.todoke.mime.CmsFixtures;
import dev.todoke.mime.MessageRewriter;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.Security;
import dev.todoke.relay.MessageContent;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CopiesStepTest extends StepTestBase {

    private MailSeal seal;
    private CopiesStep step;

    @BeforeEach
    void setUp() {
        seal = TestMailParts.seal(fixture.todoke);
        step = new CopiesStep(new MessageRewriter(new SecureRandom()), seal, NoticeTextsTest.texts(), fixture.todoke);
    }

    private static String text(MessageContent content) throws Exception {
        try (InputStream in = content.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static MimeMessage parse(MessageContent content) throws Exception {
        try (InputStream in = content.open()) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    @Test
    void applyWhenTwoLinkRecipientsThenOneSealedCopyEachWithOwnLinkAndNoAttachment() throws Exception {
        byte[] raw = TestMails.mail()
                .to(EXTERNAL, EXTERNAL_2)
                .header("X-Todoke-Kind: forged")
                .attach("secret-plan.pdf", TestMails.randomBytes(5000, 2))
                .build();
        MailTransaction mail = fixture.stored(raw, EXTERNAL, INTERNAL, EXTERNAL_2);

        Next next = step.apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.copies()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        for (String recipient : mail.copies().keySet()) {
            MessageContent copy = mail.copies().get(recipient);
            String token = mail.recorded().linkTokens().get(recipient);
            assertThat(seal.verify(copy)).contains("notice");
            MimeMessage parsed = parse(copy);
            assertThat(parsed.getHeader("X-Todoke-Kind")).containsExactly("notice");
            assertThat(text(copy)).doesNotContain("Content-Disposition: attachment");
            assertThat(TestMails.allText(parsed))
                    .contains("https://files.example.jp/d/" + token, "secret-plan.pdf (4.9 KB)")
                    .contains("このリンクは " + recipient + " 宛てです");
        }
        assertThat(mail.spooledCopies()).as("small copies stay in memory").isEmpty();
    }

    @Test
    void applyWhenCopiesOutgrowTheTransactionsMemoryThenTheRestGoToRecordedFiles() throws Exception {
        String body = "本文の行です。 line of the body\n".repeat(7000); // about 250 KB as UTF-8, more as base64
        byte[] raw = TestMails.mail()
                .to(EXTERNAL, EXTERNAL_2)
                .text(body, "UTF-8")
                .attach("secret-plan.pdf", TestMails.randomBytes(5000, 2))
                .build();
        MailTransaction mail = fixture.stored(raw, EXTERNAL, INTERNAL, EXTERNAL_2);

        step.apply(mail);

        assertThat(mail.spooledCopies())
                .as("the first copy fits in memory, the second no longer does")
                .hasSize(1)
                .allSatisfy(file -> assertThat(file)
                        .exists()
                        .startsWith(dir.resolve("spool").resolve("copies")));
        for (String recipient : mail.copies().keySet()) {
            MessageContent copy = mail.copies().get(recipient);
            assertThat(seal.verify(copy)).contains("notice");
            assertThat(TestMails.allText(parse(copy)))
                    .contains(body.strip())
                    .contains("https://files.example.jp/d/"
                            + mail.recorded().linkTokens().get(recipient));
        }
    }

    @Test
    void applyWhenNoFromHeaderThenNoticeNamesEnvelopeSender() throws Exception {
        String raw = "To: " + EXTERNAL + "\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=x.bin\r\n"
                + "\r\nxyz\r\n--b--\r\n";
        MailTransaction mail = fixture.stored(raw.getBytes(StandardCharsets.US_ASCII), EXTERNAL);

        step.apply(mail);

        assertThat(TestMails.allText(parse(mail.copies().get(EXTERNAL))))
                .contains("送信者: " + StepFixture.SENDER, "x.bin (3 B)");
    }

    private static byte[] toMany(boolean attachment) throws Exception {
        TestMails.Builder builder = TestMails.mail()
                .to(EXTERNAL, "\"Doe, John\" <john@third.example>")
                .cc(INTERNAL, EXTERNAL_2);
        if (attachment) {
            builder.attach("plan.pdf", TestMails.randomBytes(100, 3));
        }
        return builder.build();
    }

    @Test
    void applyWhenForcedBccWithAttachmentsThenEachLinkCopyShowsOnlyItsRecipientAndInternalCc() throws Exception {
        MailTransaction mail = fixture.stored(toMany(true), EXTERNAL, INTERNAL, EXTERNAL_2);
        mail.forceBcc();

        step.apply(mail);

        assertThat(mail.copies()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        for (String recipient : mail.copies().keySet()) {
            MimeMessage copy = parse(mail.copies().get(recipient));
            assertThat(copy.getHeader("To", ",")).isEqualTo(recipient);
            assertThat(copy.getHeader("Cc", ",")).isEqualTo(INTERNAL);
            assertThat(text(mail.copies().get(recipient))).doesNotContain("john@third.example");
            assertThat(TestMails.allText(copy)).contains("https://files.example.jp/d/");
            assertThat(seal.verify(mail.copies().get(recipient))).contains("notice");
        }
    }

    @Test
    void applyWhenForcedBccAndUnchangedThenHeaderOnlyCopiesForExternalRecipients() throws Exception {
        byte[] raw = toMany(false);
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL, EXTERNAL_2);
        mail.forceBcc();
        mail.passUnchanged();

        Next next = step.apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.copies()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        String original = new String(raw, StandardCharsets.UTF_8);
        String body = original.substring(original.indexOf("\r\n\r\n"));
        for (String recipient : mail.copies().keySet()) {
            String copy = text(mail.copies().get(recipient));
            assertThat(copy).endsWith(body).doesNotContain("X-Todoke-Kind", "X-Todoke-Seal");
            MimeMessage parsed = parse(mail.copies().get(recipient));
            assertThat(parsed.getHeader("To", ",")).isEqualTo(recipient);
            assertThat(parsed.getHeader("Cc", ",")).isEqualTo(INTERNAL);
        }
    }

    @Test
    void applyWhenUnchangedWithoutForcedBccThenNothingWritten() throws Exception {
        MailTransaction mail = fixture.parsed(toMany(false), EXTERNAL, INTERNAL);
        mail.passUnchanged();

        step.apply(mail);

        assertThat(mail.copies()).isEmpty();
        assertThat(mail.spooledCopies()).isEmpty();
        assertThat(step.appliesToUnchangedMail()).isTrue();
    }

    @Test
    void applyWhenForcedBccOnEncryptedMailThenHeaderOnlyCopiesStillEncrypted() throws Exception {
        String p7m = java.util.Base64.getMimeEncoder().encodeToString(CmsFixtures.envelopedData("secret"));
        String body = "\r\n" + p7m + "\r\n";
        byte[] raw = ("From: a@example.jp\r\nTo: " + EXTERNAL + ", " + EXTERNAL_2 + "\r\nCc: " + INTERNAL
                        + "\r\nSubject: enc\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL, EXTERNAL_2);
        assertThat(mail.parsed().security()).isEqualTo(Security.ENCRYPTED);
        mail.forceBcc();
        mail.passUnchanged();

        step.apply(mail);

        assertThat(mail.copies()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        String copy = text(mail.copies().get(EXTERNAL_2));
        assertThat(copy)
                .startsWith("From: a@example.jp\r\nTo: " + EXTERNAL_2 + "\r\nCc: " + INTERNAL + "\r\nSubject: enc")
                .endsWith("Content-Transfer-Encoding: base64\r\n" + body);
        Path file = dir.resolve("enc-copy.eml");
        Files.writeString(file, copy);
        assertThat(new MimeParser(MimeLimits.defaults()).parse(file).security()).isEqualTo(Security.ENCRYPTED);
    }
}
