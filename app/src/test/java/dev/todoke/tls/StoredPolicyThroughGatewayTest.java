package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.admin.AdminTransfers;
import dev.todoke.smtp.SmtpListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A policy stored through {@code PUT /api/v1/admin/policies} applies to the very next mail over SMTP, in
 * the same application, without a restart: a recipient-domain rule {@code refuse-if-no-tls} refuses the
 * next mail to a domain whose server offers no STARTTLS (the configuration says {@code link}), and a
 * sender rule's expiry sets the next message's expiry and maximum, and a rule {@code zero-knowledge} stores
 * the next message in that mode. Real SMTP on every side: a client to
 * the listener, GreenMail as next hop, a test MX without TLS and a stub DNS on loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoredPolicyThroughGatewayTest {

    static final String SENDER = "sender@example.jp";
    static final String PLAIN = "bob@plain.test";
    static final String PASSWORD = "stored policy test";
    static final Path DIR;
    static final TestSmtpServer PLAIN_MX;
    static final StubDnsServer DNS;
    static final GreenMail NEXT_HOP;

    static {
        try {
            DIR = Files.createTempDirectory("stored-policy-test");
            PLAIN_MX = TestSmtpServer.plain();
            DNS = new StubDnsServer();
            NEXT_HOP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            NEXT_HOP.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", () -> DIR.resolve("data").toString());
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.mail.envelope-from", () -> "todoke@example.jp");
        registry.add("todoke.relay.host", () -> "127.0.0.1");
        registry.add("todoke.relay.port", () -> NEXT_HOP.getSmtp().getPort());
        registry.add("todoke.internal-domains", () -> "example.jp");
        registry.add("todoke.public-url", () -> "https://files.example.jp");
        registry.add("todoke.admin.username", () -> "admin");
        registry.add("todoke.admin.password", () -> PASSWORD);
        registry.add("todoke.tls.resolver", DNS::address);
        registry.add("todoke.tls.mx-overrides[plain.test]", () -> "localhost:" + PLAIN_MX.port());
        // a refresh far longer than the test: only the replica's own change can make it apply at once
        registry.add("todoke.policy.refresh", () -> "10s");
    }

    @AfterAll
    static void stop() throws Exception {
        NEXT_HOP.stop();
        PLAIN_MX.close();
        DNS.close();
    }

    @Autowired
    SmtpListener listener;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AdminTransfers transfers;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void processWhenPolicyStoredThroughTheApiThenTheNextMailFollowsIt() throws Exception {
        assertThat(send(mail("before"))).startsWith("250");

        putPolicies("{\"recipientDomains\": [{\"domain\": \"plain.test\", \"settings\": {\"tls\":"
                + " \"refuse-if-no-tls\"}}]}");
        String refused = send(mail("refused"));

        assertThat(refused)
                .startsWith("554 5.7.1")
                .contains("does not offer TLS")
                .contains("stored policy: recipient domain plain.test refuse-if-no-tls");

        putPolicies("{\"senders\": [{\"address\": \"SENDER@example.jp\", \"settings\":"
                + " {\"defaultExpiry\": \"PT12H\", \"maxExpiry\": \"P2D\"}}]}");
        assertThat(send(mail("after"))).startsWith("250");

        List<String> subjects = jdbc.sql("select subject from message order by created_at")
                .query(String.class)
                .list();
        assertThat(subjects).containsExactly("before", "after");
        AdminTransfers.Item after = transfers
                .search(new AdminTransfers.Criteria(SENDER, PLAIN, "after", null, null, null, null, null))
                .items()
                .get(0);
        Instant created = Instant.parse(after.createdAt());
        assertThat(Duration.between(created, Instant.parse(after.expiresAt()))).isEqualTo(Duration.ofHours(12));
        assertThat(transfers.detail(after.id()).maximumExpiry())
                .isEqualTo(created.plus(Duration.ofDays(2)).toString());
        AdminTransfers.Item before = transfers
                .search(new AdminTransfers.Criteria(SENDER, null, "before", null, null, null, null, null))
                .items()
                .get(0);
        assertThat(Duration.between(Instant.parse(before.createdAt()), Instant.parse(before.expiresAt())))
                .isEqualTo(Duration.ofDays(7));

        putPolicies("{\"recipientDomains\": [{\"domain\": \"plain.test\", \"settings\": {\"tls\":"
                + " \"zero-knowledge\"}}]}");
        assertThat(send(mail("zero-knowledge"))).startsWith("250");
        assertThat(jdbc.sql("select count(*) from zk_link_key k join message m on m.id = k.message_id"
                                + " where m.subject = 'zero-knowledge'")
                        .query(Integer.class)
                        .single())
                .as("the stored zero-knowledge action: one wrapped key for the one link")
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from zk_message")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    private void putPolicies(String body) throws Exception {
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/admin/policies");
        HttpResponse<String> current = http.send(
                HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .header("If-Match", current.headers().firstValue("ETag").orElseThrow())
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    private static byte[] mail(String subject) {
        return ("From: " + SENDER + "\r\nTo: " + PLAIN + "\r\nSubject: " + subject + "\r\nDate: "
                        + OffsetDateTime.now().format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        + "\r\nMessage-ID: <" + UUID.randomUUID() + "@example.jp>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                        + "See attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;"
                        + " filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private String send(byte[] message) throws IOException {
        return GatewaySmtp.send(listener.port(), SENDER, List.of(PLAIN), message);
    }
}
