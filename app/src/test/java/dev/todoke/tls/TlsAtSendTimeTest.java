package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.TodokeApplication;
import dev.todoke.smtp.SmtpListener;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TLS at send time, end to end: two application instances (two Spring contexts, their own data
 * directories and ports) on one database (an H2 file both open), a stub DNS and a slow STARTTLS recipient
 * server on loopback (it greets after {@link #GREETING_DELAY_MS}), GreenMail as next hop. A mail to that
 * domain through A is answered 250 without waiting for the check, and its receipt says "not checked yet";
 * the check started by the mail finishes in the background and its verdict lands in {@code tls_verdict};
 * B, which never probed, shows it on the sender page and in the API; the next mail's receipt names it.
 * No DNS query leaves the machine: the resolver is the stub, the MX an override to localhost.
 */
class TlsAtSendTimeTest {

    static final long GREETING_DELAY_MS = 15_000;
    static final String SENDER = "sender@example.jp";
    static final String PUBLIC_URL = "https://files.example.jp";
    static final Pattern MANAGE = Pattern.compile(Pattern.quote(PUBLIC_URL) + "/s/([A-Za-z0-9_-]+)");

    static Path dir;
    static StubDnsServer dns;
    static TestSmtpServer slowMx;
    static TestSmtpServer budgetMx;
    static GreenMail nextHop;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tls-at-send-time");
        TestPki.Issued ca = TestPki.ca("Send Time Test CA");
        slowMx = TestSmtpServer.slowStarttls(
                TestPki.serverContext(TestPki.leaf(ca, "localhost", "localhost")), GREETING_DELAY_MS);
        budgetMx = TestSmtpServer.slowStarttls(
                TestPki.serverContext(TestPki.leaf(ca, "localhost", "localhost")), GREETING_DELAY_MS);
        dns = new StubDnsServer();
        nextHop = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        nextHop.start();
        String database = "jdbc:h2:file:" + dir.resolve("shared-db/todoke")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        List<String> shared = List.of(
                "--spring.datasource.url=" + database,
                "--server.port=0",
                "--management.server.port=0",
                "--todoke.smtp.port=0",
                "--todoke.public-url=" + PUBLIC_URL,
                "--todoke.internal-domains=example.jp",
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + nextHop.getSmtp().getPort(),
                "--todoke.relay.starttls=off",
                "--todoke.mail.envelope-from=todoke@example.jp",
                "--todoke.tls.background.enabled=true",
                // the slow server greets after 15 s: within the probe's patience (the check stays under 30 s)
                "--todoke.tls.read-timeout=20s",
                "--todoke.tls.check-timeout=28s",
                "--todoke.tls.resolver=" + dns.address(),
                "--todoke.tls.mx-overrides[slow.test]=localhost:" + slowMx.port(),
                "--todoke.tls.mx-overrides[budget.test]=localhost:" + budgetMx.port(),
                // a rule that needs a verdict, for budget.test only: it waits its budget, no longer
                "--todoke.tls.policy.rules[0].domain=budget.test",
                "--todoke.tls.policy.rules[0].action=keep-if-verified",
                "--todoke.tls.policy.budget=1s");
        a = start("a", shared);
        b = start("b", shared);
        // a first mail through A warms it up (classes, templates): on a busy machine the first mail alone
        // can take seconds, which the tests must not mistake for waiting on a check. Internal only: no check.
        assertThat(send(a, "colleague@example.jp", "Warm-up")).startsWith("250");
    }

    private static ConfigurableApplicationContext start(String name, List<String> shared) {
        List<String> args = new ArrayList<>(shared);
        args.add("--todoke.data-dir=" + dir.resolve(name));
        return new SpringApplicationBuilder(TodokeApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {b, a}) {
            if (c != null) {
                c.close();
            }
        }
        if (nextHop != null) {
            nextHop.stop();
        }
        if (slowMx != null) {
            slowMx.close();
        }
        if (budgetMx != null) {
            budgetMx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void sendWhenRecipientServerSlowThen250AtOnceAndVerdictReachesTheOtherReplicaAndTheNextReceipt() throws Exception {
        long started = System.nanoTime();
        String reply = send(a, "bob@slow.test", "First quotation");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply).startsWith("250");
        assertThat(took).as("the 250 does not wait for the check").isLessThan(Duration.ofMillis(GREETING_DELAY_MS));
        String firstReceipt = receipt("First quotation");
        assertThat(firstReceipt).contains("bob@slow.test", "TLS: 未確認 / not checked yet");
        Eventually.within(Duration.ofSeconds(5), () -> slowMx.connections.get() > 0);
        Eventually.within(
                Duration.ofSeconds(40),
                () -> jdbc(b).sql("select count(*) from tls_verdict where domain = 'slow.test'")
                                .query(Integer.class)
                                .single()
                        == 1);
        assertThat(jdbc(b).sql("select verdict from tls_verdict where domain = 'slow.test'")
                        .query(String.class)
                        .single())
                .as("STARTTLS works, the certificate is not trusted")
                .isEqualTo("tls");

        String token = token(firstReceipt);
        HttpResponse<String> api = get(b, "/api/v1/s/" + token);
        assertThat(api.statusCode()).isEqualTo(200);
        JsonNode recipient = JsonMapper.builder()
                .build()
                .readTree(api.body())
                .get("recipients")
                .get(0);
        assertThat(recipient.get("address").asString()).isEqualTo("bob@slow.test");
        assertThat(recipient.get("state").asString())
                .as("existing fields unchanged")
                .isEqualTo("active");
        assertThat(recipient.get("tls").get("verdict").asString()).isEqualTo("tls");
        assertThat(recipient.get("tls").get("summary").asString()).contains("暗号化あり", "Encrypted:");
        assertThat(recipient.get("tls").get("checkedAt").asString()).endsWith("Z");
        HttpResponse<String> page = get(b, "/s/" + token);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("暗号化あり");
        assertThat(slowMx.connections.get())
                .as("B used the stored verdict, it did not probe")
                .isEqualTo(1);

        assertThat(send(a, "carol@slow.test", "Second quotation")).startsWith("250");
        assertThat(receipt("Second quotation"))
                .contains("carol@slow.test", "TLS: 暗号化あり")
                .doesNotContain("not checked yet");
        assertThat(slowMx.connections.get())
                .as("a fresh verdict is not checked again")
                .isEqualTo(1);
    }

    @Test
    void sendWhenARuleNeedsTheVerdictOfASlowServerThen250AfterTheBudgetAndOneProbeForBoth() throws Exception {
        long started = System.nanoTime();
        String reply = send(a, "dan@budget.test", "Budget quotation");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply).startsWith("250");
        assertThat(took)
                .as("the rule waits its 1 s budget, not the server's %d ms", GREETING_DELAY_MS)
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
                .isLessThan(Duration.ofMillis(GREETING_DELAY_MS));
        assertThat(receipt("Budget quotation"))
                .as("unknown within the budget: links, and not checked yet")
                .contains("dan@budget.test", "TLS: 未確認 / not checked yet", PUBLIC_URL + "/s/");
        Eventually.within(
                Duration.ofSeconds(40),
                () -> jdbc(a).sql("select count(*) from tls_verdict where domain = 'budget.test'")
                                .query(Integer.class)
                                .single()
                        == 1);
        assertThat(budgetMx.connections.get())
                .as("the policy's check and the background check are one probe")
                .isEqualTo(1);
    }

    private static JdbcClient jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class);
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Accept-Language", "ja")
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }

    private static String token(String receipt) {
        Matcher m = MANAGE.matcher(receipt);
        assertThat(m.find()).as("management link in the receipt").isTrue();
        return m.group(1);
    }

    /** The text of the one receipt whose subject names {@code subject}. */
    private static String receipt(String subject) throws Exception {
        GreenMailUser user = nextHop.getUserManager().getUserByEmail(SENDER);
        assertThat(user).isNotNull();
        List<String> found = new ArrayList<>();
        for (var stored :
                nextHop.getManagers().getImapHostManager().getInbox(user).getMessages()) {
            MimeMessage m = stored.getMimeMessage();
            if (m.getSubject().contains(subject)) {
                found.add(text(m));
            }
        }
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static String text(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(text(multipart.getBodyPart(i)));
            }
            return all.toString();
        }
        return part.isMimeType("text/plain") ? String.valueOf(part.getContent()) : "";
    }

    private static byte[] mail(String to, String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(SENDER));
        message.setRecipients(MimeMessage.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Please find the quotation attached.", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[] {1, 2, 3, 4}, "application/pdf");
        attachment.setFileName("quotation.pdf");
        attachment.setDisposition(Part.ATTACHMENT);
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** Sends a mail to {@code to} through the context's listener. Returns the reply to the end of DATA. */
    private static String send(ConfigurableApplicationContext context, String to, String subject) throws Exception {
        return GatewaySmtp.send(context.getBean(SmtpListener.class).port(), SENDER, List.of(to), mail(to, subject));
    }
}
