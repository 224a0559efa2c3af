package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.HoldGatewayTest.APPROVE;
import static dev.todoke.gateway.HoldGatewayTest.MANAGE;
import static dev.todoke.gateway.HoldGatewayTest.body;
import static dev.todoke.gateway.HoldGatewayTest.call;
import static dev.todoke.gateway.HoldGatewayTest.header;
import static dev.todoke.gateway.HoldGatewayTest.token;
import static dev.todoke.gateway.HoldGatewayTest.waitFor;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.policy.PolicyStore;
import dev.todoke.tls.TlsReport;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The approval rules beyond the configuration, over real SMTP, HTTP and the database: a rule stored in
 * the policy store (a sender group needs approval) with the approver taken from the sender's last sign-in
 * (their manager); a recipient domain whose stored TLS verdict ({@code tls_verdict}, as another replica's
 * check left it) is {@code no-tls} under {@code todoke.hold.approval.tls-verdicts}; and the hold mail's
 * one update once a verdict that was unknown when the mail was held arrives. The recipient server of
 * {@code slow.test} accepts connections and never answers, so this replica's own check stays unfinished.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HoldRulesGatewayTest extends GatewayTestBase {

    private static final String LAWYER = "lawyer@example.jp";
    private static final String CHIEF = "chief@example.jp";
    private static final String BOSS = "boss@example.jp";
    private static final ServerSocket SILENT_MX;

    static {
        try {
            SILENT_MX = new ServerSocket(0);
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.hold.delay", () -> "PT1H");
        registry.add("todoke.hold.poll-interval", () -> "1s");
        registry.add("todoke.hold.approval.tls-verdicts", () -> "no-tls");
        registry.add("todoke.hold.approval.tls-wait", () -> "1s");
        registry.add("todoke.hold.approval.approvers[example.jp]", () -> BOSS);
        registry.add("todoke.tls.mx-overrides[slow.test]", () -> "127.0.0.1:" + SILENT_MX.getLocalPort());
        registry.add("todoke.tls.read-timeout", () -> "25s");
        registry.add("todoke.tls.check-timeout", () -> "28s");
        registry.add("todoke.web.rate-limit-per-minute", () -> "100000");
    }

    @AfterAll
    static void closeMx() throws Exception {
        SILENT_MX.close();
    }

    @Autowired
    PolicyStore policies;

    @LocalServerPort
    int port;

    private void send(String from, String to, String subject) throws Exception {
        byte[] raw = mail().to(to)
                .subject(subject)
                .attach("plan.pdf", new byte[] {1, 2, 3})
                .build();
        Reply reply = GatewayTestSupport.send(listener, from, List.of(to), raw);
        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
    }

    /** A verdict in the shared table, as another replica's finished check leaves it. */
    private void storeVerdict(String domain, TlsReport.Verdict verdict) {
        TlsReport report = new TlsReport(
                domain,
                verdict,
                Instant.now(),
                List.of(),
                new TlsReport.MtaSts(null, null),
                new TlsReport.Dane(false, false, false));
        jdbc.sql("delete from tls_verdict where domain = ?").param(domain).update();
        jdbc.sql("insert into tls_verdict (domain, verdict, detail, checked_at) values (?, ?, ?, ?)")
                .params(
                        domain,
                        verdict.code(),
                        JsonMapper.builder().build().writeValueAsString(report),
                        Timestamp.from(report.checkedAt()))
                .update();
    }

    @Test
    void approvalWhenStoredGroupRuleThenTheSendersManagerFromTheSignInApprovesAndItIsDelivered() throws Exception {
        policies.rememberSignIn(LAWYER, List.of("legal"), CHIEF);
        policies.replace(
                "*", "{\"senders\": [{\"group\": \"legal\", \"settings\": {\"approval\": true}}]}", "admin:test", null);
        try {
            send(LAWYER, ALICE, "contract draft");

            MimeMessage request = nextHop.messagesFor(CHIEF).getLast();
            assertThat(header(request)).isEqualTo("approval");
            assertThat(TestMails.allText(request)).contains("stored policy: sender group legal needs approval");
            assertThat(nextHop.messagesFor(BOSS))
                    .as("the manager before the domain's approver")
                    .isEmpty();
            String approve = token(APPROVE, request);
            assertThat(call(port, "POST", "/api/v1/a/" + approve + "/approve").statusCode())
                    .isEqualTo(200);
            waitFor(() -> !nextHop.rawFor(ALICE).isEmpty());
            assertThat(header(nextHop.messagesFor(ALICE).getFirst())).isEqualTo("notice");
        } finally {
            policies.replace("*", "{}", "admin:test", null);
        }
    }

    @Test
    void approvalWhenRecipientServerOffersNoTlsThenBossDecidesAndHoldMailUpdatedOnceWhenAVerdictArrives()
            throws Exception {
        storeVerdict("plain.test", TlsReport.Verdict.NO_TLS);
        send(SENDER, "bob@plain.test", "plain text risk");

        MimeMessage request = nextHop.messagesFor(BOSS).getLast();
        assertThat(header(request)).isEqualTo("approval");
        assertThat(TestMails.allText(request)).contains("TLS verdict plain.test (no-tls)", "暗号化なし");

        long started = System.nanoTime();
        send(SENDER, "carol@slow.test", "verdict later");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the rule waits its tls-wait for the unknown verdict, no longer")
                .isLessThan(Duration.ofSeconds(10));
        MimeMessage hold = nextHop.messagesFor(SENDER).getLast();
        assertThat(TestMails.allText(hold)).contains("verdict later", "未確認 / not checked yet");
        String manage = token(MANAGE, hold);
        assertThat(body(call(port, "GET", "/api/v1/s/" + manage)).get("state").asString())
                .isEqualTo("held");

        storeVerdict("slow.test", TlsReport.Verdict.TLS);
        waitFor(() ->
                nextHop.messagesFor(SENDER).stream().anyMatch(m -> subjectOf(m).contains("TLS checked")));
        Thread.sleep(2500); // two more ticks: still one update
        List<MimeMessage> updates = nextHop.messagesFor(SENDER).stream()
                .filter(m -> subjectOf(m).contains("TLS checked"))
                .toList();
        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(header(update)).isEqualTo("hold");
            assertThat(TestMails.allText(update))
                    .contains("carol@", "暗号化あり", PUBLIC_URL + "/s/" + manage)
                    .doesNotContain("not checked yet");
        });
        assertThat(jdbc.sql("select count(*) from audit_event where kind = 'hold-mail-updated'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
