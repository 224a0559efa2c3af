package dev.todoke.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import dev.todoke.relay.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailSealTest {

    private static final String MAIL =
            "From: a@example.jp\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello,\r\nworld\r\n";

    @TempDir
    Path dataDir;

    private MailSeal seal() {
        return new MailSeal(
                new MailProperties("Todoke <t@example.jp>", "", ""),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of()),
                new SecureRandom());
    }

    private static byte[] bytes(MessageContent content) throws IOException {
        try (InputStream in = content.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void verifyWhenSealedByUsThenKind() throws Exception {
        MailSeal seal = seal();

        byte[] sealed = bytes(seal.seal("notice", MessageContent.of(MAIL.getBytes(StandardCharsets.US_ASCII))));

        assertThat(new String(sealed, StandardCharsets.US_ASCII)).startsWith("X-Todoke-Seal: v1 kind=notice mac=");
        assertThat(seal.verify(MessageContent.of(sealed))).contains("notice");
    }

    @Test
    void verifyWhenLineEndsAndFoldingChangedThenStillValid() throws Exception {
        MailSeal seal = seal();
        String sealed = new String(
                bytes(seal.seal("receipt", MessageContent.of(MAIL.getBytes(StandardCharsets.US_ASCII)))),
                StandardCharsets.US_ASCII);

        String relayed = sealed.replace("\r\n", "\n").replace(" mac=", "\n mac=");

        assertThat(seal.verify(MessageContent.of(relayed.getBytes(StandardCharsets.US_ASCII))))
                .contains("receipt");
    }

    @Test
    void verifyWhenHeaderEndFallsAroundTheReadBlockBoundaryThenKindAndBodyStillBound() throws Exception {
        MailSeal seal = seal();
        String body = "Hello,\r\n" + "x".repeat(100_000) + "\r\nend\r\n";
        for (int shift = -70; shift <= 70; shift++) {
            // the seal field (about 80 bytes) goes in front: both the plain and the sealed message get their
            // blank line near 64 KiB, where the reader crosses into its second block, for some shift
            String filler = "X-Filler: " + "f".repeat(64 * 1024 - 60 + shift) + "\r\n";
            byte[] mail = (filler + "Subject: hi\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);

            byte[] sealed = bytes(seal.seal("notice", MessageContent.of(mail)));
            String forged = new String(sealed, StandardCharsets.US_ASCII).replace("\r\nend\r\n", "\r\nEnd\r\n");

            assertThat(seal.verify(MessageContent.of(sealed)))
                    .as("shift %d", shift)
                    .contains("notice");
            assertThat(seal.verify(MessageContent.of(forged.getBytes(StandardCharsets.US_ASCII))))
                    .as("body changed after the first block, shift %d", shift)
                    .isEmpty();
        }
    }

    @Test
    void verifyWhenHeaderSectionOverTheLimitThenEmpty() throws Exception {
        MailSeal seal = seal();
        String filler = ("X-Filler: " + "f".repeat(990) + "\r\n").repeat(300); // about 300 KB, over 256 KiB
        byte[] sealed = bytes(
                seal.seal("notice", MessageContent.of((filler + "\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII))));

        assertThat(new String(sealed, 0, 20, StandardCharsets.US_ASCII)).startsWith("X-Todoke-Seal: v1");
        assertThat(seal.verify(MessageContent.of(sealed))).isEmpty();
    }

    @Test
    void verifyWhenSealCopiedOntoAnotherBodyThenEmpty() throws Exception {
        MailSeal seal = seal();
        String sealed = new String(
                bytes(seal.seal("receipt", MessageContent.of(MAIL.getBytes(StandardCharsets.US_ASCII)))),
                StandardCharsets.US_ASCII);

        String forged = sealed.replace("world", "attachment here");

        assertThat(seal.verify(MessageContent.of(forged.getBytes(StandardCharsets.US_ASCII))))
                .isEmpty();
    }

    @Test
    void verifyWhenSealFromAnotherKeyThenEmpty() throws Exception {
        byte[] sealed = bytes(seal().seal("notice", MessageContent.of(MAIL.getBytes(StandardCharsets.US_ASCII))));
        MailSeal other = new MailSeal(
                new MailProperties("Todoke <t@example.jp>", "", ""),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir.resolve("other"), List.of()),
                new SecureRandom());

        assertThat(other.verify(MessageContent.of(sealed))).isEmpty();
    }

    @Test
    void verifyWhenForgedHeaderWithoutValidMacThenEmpty() throws Exception {
        String forged = "X-Todoke-Seal: v1 kind=notice mac=" + "A".repeat(43) + "\r\nX-Todoke-Kind: notice\r\n" + MAIL;

        assertThat(seal().verify(MessageContent.of(forged.getBytes(StandardCharsets.US_ASCII))))
                .isEmpty();
    }

    @Test
    void constructorWhenNoKeyConfiguredThenGeneratesOwnerOnlyKeyFileAndReusesIt() throws Exception {
        byte[] sealed = bytes(seal().seal("otp", MessageContent.of(MAIL.getBytes(StandardCharsets.US_ASCII))));

        Path keyFile = dataDir.resolve("keys/seal.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(seal().verify(MessageContent.of(sealed))).contains("otp");
    }

    @Test
    void isTodokeHeaderWhenAnyCaseThenTrue() {
        assertThat(MailSeal.isTodokeHeader("x-todoke-kind")).isTrue();
        assertThat(MailSeal.isTodokeHeader("X-TODOKE-SEAL")).isTrue();
        assertThat(MailSeal.isTodokeHeader("X-Mailer")).isFalse();
    }
}
