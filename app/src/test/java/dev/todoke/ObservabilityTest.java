package dev.todoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.smtp.SmtpListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One mail through the running application over SMTP, then the meters on {@code /actuator/prometheus}
 * of the management port; then the next hop stops: readiness goes down, liveness stays up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ObservabilityTest {

    static final int NEXT_HOP_PORT = freePort();
    static final GreenMail nextHop = startNextHop();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", dataDir::toString);
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.relay.host", () -> "127.0.0.1");
        registry.add("todoke.relay.port", () -> NEXT_HOP_PORT);
        registry.add("todoke.relay.starttls", () -> "off");
        registry.add("todoke.mail.envelope-from", () -> "todoke@example.jp");
        registry.add("todoke.internal-domains", () -> "example.jp");
        registry.add("todoke.storage.warm-up", () -> "0");
    }

    @Autowired
    SmtpListener listener;

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int webPort;

    @AfterAll
    static void stopNextHop() {
        nextHop.stop();
    }

    @Test
    void prometheusWhenOneMailWentThroughThenMetersCountItAndReadinessFollowsTheNextHop() throws Exception {
        byte[] file = new byte[12_345];
        ReplicaMails.send(listener.port(), "sender@example.jp", "alice@partner.example", "metrics", file);

        String token = "tokenThatMustNotBeInAnyMeter1234";
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/d/" + token))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());

        String metrics = get("/actuator/prometheus").body();
        int relayed = nextHop.getReceivedMessages().length;

        assertThat(relayed).isEqualTo(2); // alice's copy and the sender's receipt
        assertThat(value(metrics, "todoke_mail_messages_total", "outcome=\"accepted\",reason=\"rewritten\""))
                .isEqualTo(1);
        assertThat(value(metrics, "todoke_attachments_stored_total", "")).isEqualTo(1);
        assertThat(value(metrics, "todoke_attachments_stored_bytes_total", "")).isEqualTo(file.length);
        assertThat(value(metrics, "todoke_links_issued_total", "")).isEqualTo(1);
        assertThat(value(metrics, "todoke_relay_seconds_count", "outcome=\"sent\""))
                .isEqualTo(relayed);
        assertThat(value(metrics, "todoke_passcodes_sent_total", "")).isZero();
        assertThat(value(metrics, "todoke_purge_runs_total", "")).isZero();
        assertThat(metrics).doesNotContain("outcome=\"temp-failed\"", token);
        assertThat(metrics).contains("http_server_requests_seconds_count{");

        nextHop.stop();
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"nextHop\":{\"status\":\"DOWN\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
    }

    /** The value of the sample {@code name{...labels...}}; the labels must contain {@code labels}. */
    static double value(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(name + "{" + labels + "} not in\n" + metrics);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static GreenMail startNextHop() {
        GreenMail greenMail = new GreenMail(new ServerSetup(NEXT_HOP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return greenMail;
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
