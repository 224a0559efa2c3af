package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hold and approval over real SMTP and HTTP ({@code todoke.hold.delay=PT1H}; mail from {@code
 * careful@example.jp} needs the approval of {@code boss@example.jp}): the sender's hold mail and the JSON
 * API ({@code state}, {@code releaseAt}, cancel, release, 409 {@code not-held}), the approver's mail and
 * API (approve, reject), and what reaches the next hop (a byte-exact capture).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HoldGatewayTest extends GatewayTestBase {

    private static final String CAREFUL = "careful@example.jp";
    private static final String BOSS = "boss@example.jp";
    static final Pattern MANAGE = Pattern.compile(Pattern.quote(PUBLIC_URL) + "/s/([A-Za-z0-9_-]+)");
    static final Pattern APPROVE = Pattern.compile(Pattern.quote(PUBLIC_URL) + "/a/([A-Za-z0-9_-]+)");

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
        registry.add("todoke.hold.approval.senders", () -> CAREFUL);
        registry.add("todoke.hold.approval.approvers[example.jp]", () -> BOSS);
        registry.add("todoke.web.rate-limit-per-minute", () -> "100000");
    }

    @LocalServerPort
    int port;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpResponse<String> call(String method, String path) throws Exception {
        return call(port, method, path);
    }

    /** A request without a body to the application on {@code port}. */
    static HttpResponse<String> call(int port, String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static String token(Pattern pattern, MimeMessage message) throws Exception {
        Matcher m = pattern.matcher(TestMails.allText(message));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private byte[] send(String from, String subject) throws Exception {
        byte[] raw = mail().to(ALICE)
                .subject(subject)
                .attach("plan.pdf", new byte[] {1, 2, 3})
                .build();
        Reply reply = GatewayTestSupport.send(listener, from, List.of(ALICE), raw);
        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        return raw;
    }

    @Test
    void holdWhenCancelledThenNothingReachesTheNextHopAndTheApiSaysCancelled() throws Exception {
        send(SENDER, "cancel me");

        MimeMessage hold = nextHop.messagesFor(SENDER).getLast();
        assertThat(hold.getHeader("X-Todoke-Kind", null)).isEqualTo("hold");
        assertThat(nextHop.rawFor(ALICE)).isEmpty();
        String token = token(MANAGE, hold);
        JsonNode held = body(call("GET", "/api/v1/s/" + token));
        assertThat(held.get("state").asString()).isEqualTo("held");
        assertThat(held.get("releaseAt").asString()).isNotBlank();
        assertThat(held.get("recipients").get(0).get("address").asString()).isEqualTo(ALICE);
        assertThat(held.get("files").get(0).get("name").asString()).isEqualTo("plan.pdf");

        HttpResponse<String> cancelled = call("POST", "/api/v1/s/" + token + "/cancel");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(body(cancelled).get("state").asString()).isEqualTo("cancelled");
        assertThat(body(cancelled).has("releaseAt")).isFalse();
        HttpResponse<String> again = call("POST", "/api/v1/s/" + token + "/cancel");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(body(again).get("error").asString()).isEqualTo("not-held");
        assertThat(call("POST", "/api/v1/s/" + token + "/release").statusCode()).isEqualTo(409);

        Thread.sleep(2500); // two ticks of the scheduler
        assertThat(nextHop.rawFor(ALICE)).isEmpty();
    }

    @Test
    void holdWhenSentNowThenDeliveredWithLinkAtOnce() throws Exception {
        send(SENDER, "send me now");
        String token = token(MANAGE, nextHop.messagesFor(SENDER).getLast());

        assertThat(call("POST", "/api/v1/s/" + token + "/release").statusCode()).isEqualTo(200);

        waitFor(() -> !nextHop.rawFor(ALICE).isEmpty());
        MimeMessage copy = nextHop.messagesFor(ALICE).getFirst();
        assertThat(copy.getHeader("X-Todoke-Kind", null)).isEqualTo("notice");
        assertThat(TestMails.allText(copy)).contains(PUBLIC_URL + "/d/", "plan.pdf");
        waitFor(() ->
                body(call("GET", "/api/v1/s/" + token)).get("state").asString().equals("sent"));
        assertThat(nextHop.messagesFor(SENDER).getLast().getHeader("X-Todoke-Kind", null))
                .isEqualTo("receipt");
        assertThat(nextHop.rawFor(ALICE)).hasSize(1);
    }

    @Test
    void approvalWhenApprovedThenDeliveredAndWhenRejectedThenSenderToldAndNothingDelivered() throws Exception {
        send(CAREFUL, "approve me");
        MimeMessage request = nextHop.messagesFor(BOSS).getLast();
        assertThat(request.getHeader("X-Todoke-Kind", null)).isEqualTo("approval");
        String approve = token(APPROVE, request);
        String manage = token(MANAGE, nextHop.messagesFor(CAREFUL).getLast());
        assertThat(body(call("GET", "/api/v1/s/" + manage)).get("state").asString())
                .isEqualTo("approval");
        assertThat(call("POST", "/api/v1/s/" + manage + "/release").statusCode())
                .isEqualTo(409);
        JsonNode shown = body(call("GET", "/api/v1/a/" + approve));
        assertThat(shown.get("state").asString()).isEqualTo("approval");
        assertThat(shown.get("subject").asString()).isEqualTo("approve me");
        assertThat(shown.get("recipients").get(0).asString()).isEqualTo(ALICE);
        assertThat(shown.get("files").get(0).get("name").asString()).isEqualTo("plan.pdf");

        assertThat(call("POST", "/api/v1/a/" + approve + "/approve").statusCode())
                .isEqualTo(200);
        waitFor(() -> !nextHop.rawFor(ALICE).isEmpty());
        assertThat(call("POST", "/api/v1/a/" + approve + "/reject").statusCode())
                .isEqualTo(409);

        nextHop.reset();
        send(CAREFUL, "reject me");
        String reject = token(APPROVE, nextHop.messagesFor(BOSS).getLast());
        HttpResponse<String> rejected = call("POST", "/api/v1/a/" + reject + "/reject");
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(body(rejected).get("state").asString()).isEqualTo("rejected");
        waitFor(() -> nextHop.messagesFor(CAREFUL).stream().anyMatch(m -> "rejected".equals(header(m))));
        assertThat(nextHop.rawFor(ALICE)).isEmpty();
        assertThat(jdbc.sql("select count(*) from audit_event where kind in ('mail-approved', 'mail-rejected')")
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
    }

    /** A condition that may throw. */
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits up to ten seconds for the condition. */
    static void waitFor(Condition condition) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(100);
        }
    }

    static String header(MimeMessage m) {
        try {
            return m.getHeader("X-Todoke-Kind", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
