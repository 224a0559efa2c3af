package dev.todoke.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.MailFilter;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.smtp.SmtpRejection;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole path without a relay host: SMTP in, a pass-through filter, the dev outbox, its web page. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutboxControllerTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", dataDir::toString);
        registry.add("todoke.smtp.port", () -> "0");
    }

    /** Relays every message unchanged to the next hop, as the gateway does for internal recipients. */
    @TestConfiguration
    static class PassThrough {

        @Bean
        @Primary
        MailFilter passThroughFilter(NextHop nextHop) {
            return (envelope, message) -> {
                try {
                    nextHop.send(envelope.sender(), envelope.recipients(), MessageContent.of(message));
                } catch (RelayException e) {
                    throw SmtpRejection.temporary("next hop failed", e);
                }
            };
        }
    }

    @LocalServerPort
    int webPort;

    @Autowired
    SmtpListener listener;

    @Autowired
    NextHop nextHop;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void outboxWhenMessageRelayedThenListedWithClickableLink() throws Exception {
        assertThat(nextHop.describe()).startsWith("dev outbox");
        String link = "http://127.0.0.1:8080/d/Zm9vYmFyYmF6cXV4cXV1eA";
        sendThroughListener("Files for you <b>&</b> 書類", link);

        HttpResponse<String> list = get("/outbox");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Security-Policy")).hasValue(OutboxController.CSP);
        assertThat(list.body())
                .contains("dev outbox")
                .contains("sender@example.com")
                .contains("one@example.org")
                .contains("Files for you &lt;b&gt;&amp;&lt;/b&gt; 書類")
                .contains("notice")
                .doesNotContain("<b>&</b>");

        Matcher row = Pattern.compile("href=\"(/outbox/[0-9TZ]+-[0-9a-f]+)\"").matcher(list.body());
        assertThat(row.find()).isTrue();
        HttpResponse<String> page = get(row.group(1));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<a href=\"" + link + "\"")
                .contains("sandbox=\"allow-popups allow-popups-to-escape-sandbox\"")
                .contains("srcdoc=\"")
                .doesNotContain("<script>alert");

        HttpResponse<byte[]> raw = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + row.group(1) + "/raw"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("message/rfc822"));
        Path stored = dataDir.resolve("outbox").resolve(row.group(1).substring("/outbox/".length()) + ".eml");
        assertThat(raw.body()).isEqualTo(Files.readAllBytes(stored));
    }

    @Test
    void messageWhenIdUnknownOrMalformedThen404() throws Exception {
        assertThat(get("/outbox/20260101T000000000Z-000000000000").statusCode()).isEqualTo(404);
        assertThat(get("/outbox/..%2F..%2Fetc%2Fpasswd").statusCode()).isIn(400, 404);
        assertThat(get("/outbox/not-an-id/raw").statusCode()).isEqualTo(404);
    }

    private void sendThroughListener(String subject, String link) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(listener.port()));
        Session session = Session.getInstance(props);
        MimeMessage mime = new MimeMessage(session);
        mime.setFrom(new InternetAddress("sender@example.com"));
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress("one@example.org"));
        mime.setSubject(subject, "UTF-8");
        mime.setHeader("X-Todoke-Kind", "notice");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Download: " + link + "\n", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(
                "<p>Download <a href=\"" + link + "\">here</a></p><script>alert(1)</script>",
                "text/html; charset=UTF-8");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(mime, mime.getAllRecipients());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
