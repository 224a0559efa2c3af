package dev.todoke.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.TodokeProperties;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemMailTest {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    @TempDir
    Path dataDir;

    private final List<Sent> sent = new ArrayList<>();

    private record Sent(String sender, List<String> recipients, byte[] bytes) {}

    private final NextHop capturing = new NextHop() {
        @Override
        public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
            try (InputStream in = message.open()) {
                sent.add(new Sent(sender, recipients, in.readAllBytes()));
            } catch (IOException e) {
                throw new RelayException("cannot read", false, e);
            }
        }

        @Override
        public String describe() {
            return "capture";
        }
    };

    private SystemMail systemMail(NextHop hop) {
        MailProperties properties = new MailProperties("Todoke <todoke@example.jp>", "", "");
        MailSeal seal = seal(properties);
        return new SystemMail(properties, seal, hop, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    private MailSeal seal(MailProperties properties) {
        return new MailSeal(
                properties,
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of()),
                new SecureRandom());
    }

    @Test
    void sendWhenCalledThenNextHopGetsSealedAlternativeMailWithKindAndNullSender() throws Exception {
        systemMail(capturing).send("otp", "taro@example.com", "確認コード / Your code", "コード 123456", "<p>コード 123456</p>");

        assertThat(sent).hasSize(1);
        Sent mail = sent.get(0);
        assertThat(mail.sender()).isEmpty();
        assertThat(mail.recipients()).containsExactly("taro@example.com");
        MimeMessage parsed =
                new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail.bytes()));
        assertThat(parsed.getHeader("X-Todoke-Kind", null)).isEqualTo("otp");
        assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(parsed.getHeader("Message-ID", null)).startsWith("<todoke.").endsWith("@example.jp>");
        assertThat(parsed.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(parsed.getSubject()).isEqualTo("確認コード / Your code");
        assertThat(parsed.getFrom()[0].toString()).contains("todoke@example.jp");
        MimeMultipart alternative = (MimeMultipart) parsed.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("コード 123456");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(seal(new MailProperties("Todoke <todoke@example.jp>", "", ""))
                        .verify(MessageContent.of(mail.bytes())))
                .contains("otp");
    }

    @Test
    void sendWhenKindUnknownThenIllegalArgument() {
        assertThatThrownBy(() -> systemMail(capturing).send("spam", "a@example.com", "s", "t", "h"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sent).isEmpty();
    }

    @Test
    void sendWhenNextHopRefusesTemporarilyThenTemporarySystemMailException() {
        NextHop refusing = new NextHop() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
                throw new RelayException("421 try later", false, null);
            }

            @Override
            public String describe() {
                return "refusing";
            }
        };

        assertThatThrownBy(() -> systemMail(refusing).send("receipt", "a@example.com", "s", "t", "h"))
                .isInstanceOfSatisfying(
                        SystemMailException.class,
                        e -> assertThat(e.isTemporary()).isTrue())
                .hasMessageContaining("refusing");
    }

    @Test
    void sendWhenAddressInvalidThenPermanentSystemMailException() {
        assertThatThrownBy(() -> systemMail(capturing).send("otp", "not an address", "s", "t", "h"))
                .isInstanceOfSatisfying(
                        SystemMailException.class,
                        e -> assertThat(e.isTemporary()).isFalse());
    }
}
