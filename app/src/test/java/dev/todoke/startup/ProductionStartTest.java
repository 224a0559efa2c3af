package dev.todoke.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.TodokeApplication;
import dev.todoke.relay.CaptureServer;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.TestCertificates;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.testkit.ClamdServer;
import dev.todoke.testkit.Components;
import dev.todoke.virus.VirusScanning;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The whole application in production mode, started as {@code java -jar} would: refused with Spring
 * Boot's failure report (one line per problem, no stack trace), and started with a complete, safe
 * configuration: PostgreSQL (a database of its own), a next hop with STARTTLS required, its certificate
 * checked against a test trust store, AUTH, an https public URL and explicit secrets and keys; the virus
 * scan is on by default in production, so a real clamd ({@link ClamdServer}) scans the attachment.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionStartTest {

    private static final String DATABASE = "todoke_prod_test";

    @TempDir
    Path dir;

    @RegisterExtension
    static final ClamdServer clamd = new ClamdServer();

    /** Started with command-line arguments, as {@code java -jar todoke.jar --...} would be. */
    private static ConfigurableApplicationContext run(Map<String, Object> properties) {
        return new SpringApplicationBuilder(TodokeApplication.class)
                .run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    @Test
    void runWhenProductionOnEmbeddedDefaultsThenRefusedWithOneLinePerProblemAndNoStackTrace(CapturedOutput output) {
        Map<String, Object> properties = Map.of(
                "todoke.mode", "production",
                "todoke.data-dir", dir.resolve("data").toString(),
                "todoke.smtp.port", "0",
                "server.port", "0");

        assertThatThrownBy(() -> run(properties)).isInstanceOf(ProductionModeException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("todoke.mode=production and 7 settings are unsafe:")
                .contains("  - todoke.public-url is http://127.0.0.1:8080: ")
                .contains("  - todoke.relay.host is not set: ")
                .contains("  - todoke.web.secret is not set: ")
                .contains("  - todoke.mail.seal-key is not set: ")
                .contains("  - todoke.audit.key is not set: ")
                .contains("  - todoke.storage.keys.kek is not set: ")
                .contains("  - spring.datasource.url is the embedded H2 database")
                .doesNotContain("\tat dev.todoke.")
                .doesNotContain("\tat org.springframework.");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void runWhenProductionConfigurationIsCompleteAndSafeThenStartsAndRelaysOverVerifiedTls() throws Exception {
        String url = Components.requirePostgres();
        String databaseUrl = url.substring(0, url.lastIndexOf('/') + 1) + DATABASE;
        JdbcClient admin =
                JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));
        admin.sql("drop database if exists " + DATABASE + " with (force)").update();
        admin.sql("create database " + DATABASE).update();
        TestCertificates certificates = new TestCertificates();
        Path trustStore = certificates.writeTrustStore(dir.resolve("relay-trust.p12"));
        try (CaptureServer relay = new CaptureServer(certificates.serverContext, "todoke", "relay pass")) {
            Map<String, Object> properties = Map.ofEntries(
                    Map.entry("todoke.mode", "production"),
                    Map.entry("todoke.public-url", "https://files.corp.example"),
                    Map.entry("todoke.internal-domains", "corp.example"),
                    Map.entry("todoke.data-dir", dir.resolve("data").toString()),
                    Map.entry("todoke.smtp.port", "0"),
                    Map.entry("server.port", "0"),
                    Map.entry("management.server.port", "0"),
                    Map.entry("todoke.relay.host", "127.0.0.1"),
                    Map.entry("todoke.relay.port", String.valueOf(relay.port())),
                    Map.entry("todoke.relay.starttls", "required"),
                    Map.entry("todoke.relay.trust-store", trustStore.toString()),
                    Map.entry("todoke.relay.trust-store-password", "trust"),
                    Map.entry("todoke.relay.username", "todoke"),
                    Map.entry("todoke.relay.password", "relay pass"),
                    Map.entry("todoke.web.secret", "9SNgtx+DNi0AZYHM12IX7ihOkU9zihyNbS0ZqX7NES8="),
                    Map.entry("todoke.mail.seal-key", "+xgW23RUVvcB1DJmlC93OescyyoHqRYCWYMhRIeCxeY="),
                    Map.entry("todoke.audit.key", "Qm9Vc2FMcFQ4a0ZpUzJ3N1h5WmEzbk1xUjZ0VTl2Qmc="),
                    Map.entry("todoke.storage.keys.primary", "k1"),
                    Map.entry("todoke.storage.keys.kek[0].id", "k1"),
                    Map.entry("todoke.storage.keys.kek[0].key", "tGt+Wd55BmaX0VoLEjBX5DWEctaEI14QZ62eSaXGhAM="),
                    Map.entry("spring.datasource.url", databaseUrl),
                    Map.entry("spring.datasource.username", "postgres"),
                    Map.entry("spring.datasource.password", ""),
                    Map.entry("todoke.clamav.port", String.valueOf(clamd.port())));
            try (ConfigurableApplicationContext context = run(properties)) {
                assertThat(context.getBean(NextHop.class).describe()).isEqualTo("smtp://127.0.0.1:" + relay.port());
                assertThat(context.containsBean("devOutbox")).isFalse();
                assertThat(context.getBean(VirusScanning.class).enabled())
                        .as("the virus scan is on by default in production")
                        .isTrue();
                assertThat(dir.resolve("data/keys")).doesNotExist();
                assertThat(health(context)).contains("\"status\":\"UP\"");

                send(context.getBean(SmtpListener.class).port());

                assertThat(relay.logins).isNotEmpty().allMatch("todoke"::equals);
                assertThat(relay.messages).isNotEmpty().allMatch(CaptureServer.Captured::tls);
                assertThat(relay.messages)
                        .filteredOn(m -> m.recipients().contains("bob@partner.example"))
                        .singleElement()
                        .satisfies(m -> assertThat(firstText(m.bytes())).contains("https://files.corp.example/d/"));
            }
        } finally {
            admin.sql("drop database if exists " + DATABASE + " with (force)").update();
        }
    }

    private static String firstText(byte[] message) throws Exception {
        MimeMessage parsed = new MimeMessage(null, new ByteArrayInputStream(message));
        return (String) ((MimeMultipart) parsed.getContent()).getBodyPart(0).getContent();
    }

    private static String health(ConfigurableApplicationContext context) throws Exception {
        // actuator answers on the management port only (docs/observability.md)
        String port = context.getEnvironment().getProperty("local.management.port");
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void send(int smtpPort) throws Exception {
        String raw = """
                From: Alice <alice@corp.example>
                To: bob@partner.example
                Subject: production check
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=UTF-8

                The quote is attached.
                --b1
                Content-Type: application/pdf; name="quote.pdf"
                Content-Disposition: attachment; filename="quote.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQKJcOkw7zDtsOfCg==
                --b1--
                """.replace("\n", "\r\n");
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "127.0.0.1");
        smtp.put("mail.smtp.port", String.valueOf(smtpPort));
        Session session = Session.getInstance(smtp);
        MimeMessage message =
                new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        message.setFrom(new InternetAddress("alice@corp.example"));
        Transport.send(message, new InternetAddress[] {new InternetAddress("bob@partner.example")});
    }
}
