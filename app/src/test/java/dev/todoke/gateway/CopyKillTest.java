package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.relay.CaptureServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 safety of fresh mail (issue 14 item 3, ADR 0150): the application runs in a child JVM ({@link
 * ChildGateway}); the next hop (a capture server in this JVM) accepts the first recipient's copy and keeps
 * the second one's RCPT waiting, and then the child is killed with SIGKILL. The client, as Postfix would,
 * sends the same mail again to a child started on the same data directory, its recipients in another
 * order: the second copy and the receipt go out, the first copy not again, and the first copy's link
 * keeps working.
 */
class CopyKillTest {

    private static final String BOB = "bob@other.example";

    @TempDir
    Path dir;

    private ChildGateway children;
    private volatile boolean holdBob = true;

    @BeforeEach
    void children() {
        children = new ChildGateway(dir);
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        holdBob = false;
        children.close();
    }

    @Test
    void freshMailWhenTheProcessIsKilledMidRelayThenRetrySendsOnlyTheRestWithTheSameLinksAndOneReceipt()
            throws Exception {
        try (CaptureServer nextHop = new CaptureServer(null, null, null)) {
            CountDownLatch bobWaiting = new CountDownLatch(1);
            nextHop.replyToRecipients(recipient -> {
                if (recipient.equals(BOB) && holdBob) {
                    bobWaiting.countDown();
                    waitWhile(() -> holdBob);
                }
                return 0;
            });
            int smtp = ChildGateway.freePort();
            int web = ChildGateway.freePort();
            List<String> settings = List.of("--server.port=" + web, "--todoke.public-url=" + PUBLIC_URL);
            Process first = children.start("first", smtp, nextHop.port(), settings);
            byte[] raw = TestMails.mail()
                    .to(ALICE, BOB)
                    .attach("plan.pdf", TestMails.randomBytes(50_000, 5))
                    .build();

            CompletableFuture<Reply> sending =
                    CompletableFuture.supplyAsync(() -> send(smtp, List.of(ALICE, BOB), raw));
            assertThat(bobWaiting.await(2, TimeUnit.MINUTES))
                    .as(children.log("first"))
                    .isTrue();
            assertThat(to(nextHop, ALICE)).as("the first copy went out").hasSize(1);
            String aliceLink = link(to(nextHop, ALICE).getFirst());

            ChildGateway.kill(first); // SIGKILL, mid-relay
            holdBob = false;
            assertThatThrownBy(() -> sending.get(1, TimeUnit.MINUTES))
                    .as("the client never got a reply")
                    .isInstanceOf(ExecutionException.class);
            children.start("second", smtp, nextHop.port(), settings);

            Reply retry = send(smtp, List.of(BOB, ALICE), raw);

            assertThat(retry.code()).as(retry.text() + children.log("second")).isEqualTo(250);
            assertThat(to(nextHop, ALICE))
                    .as("no second copy for the first recipient")
                    .hasSize(1);
            assertThat(to(nextHop, BOB)).hasSize(1);
            assertThat(to(nextHop, SENDER)).as("one receipt").hasSize(1);
            assertThat(new String(to(nextHop, SENDER).getFirst().bytes(), StandardCharsets.UTF_8))
                    .contains("X-Todoke-Kind: receipt");
            assertThat(download(web, aliceLink))
                    .as("the first link still works")
                    .isEqualTo(200);
            assertThat(download(web, link(to(nextHop, BOB).getFirst()))).isEqualTo(200);
            assertThat(download(web, "n".repeat(43))).isEqualTo(404);
        }
    }

    private static Reply send(int port, List<String> recipients, byte[] raw) {
        try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
            return client.send(SENDER, recipients, new ByteArrayInputStream(raw));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitWhile(java.util.function.BooleanSupplier condition) {
        Instant end = Instant.now().plus(Duration.ofMinutes(3));
        while (condition.getAsBoolean() && Instant.now().isBefore(end)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<CaptureServer.Captured> to(CaptureServer server, String recipient) {
        return server.messages.stream()
                .filter(c -> c.recipients().contains(recipient))
                .toList();
    }

    /** The download link token in a notice. */
    static String link(CaptureServer.Captured copy) throws Exception {
        String text = TestMails.allText(NextHopCapture.parse(copy.bytes()));
        Matcher m = GatewayFlowTest.DOWNLOAD_LINK.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    /** The status of the recipient API for a link token on a gateway's web port. */
    static int download(int port, String token) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/d/" + token))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
