package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.relay.CaptureServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 safety of held mail (issue 12, item 6): the application runs in a child JVM (the main classes
 * and the dependencies of this test's classpath, H2 and the blob store in a data directory of this test),
 * a mail is held for 30 s, the child is killed with SIGKILL ({@link Process#destroyForcibly()} on Linux)
 * and started again on the same data directory; the mail reaches the next hop (a capture server in this
 * JVM) at its release time, not before, and exactly once, with one receipt.
 */
class HoldKillTest {

    private static final Duration DELAY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ChildGateway children;

    @BeforeEach
    void children() {
        children = new ChildGateway(dir);
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        children.close();
    }

    @Test
    void heldMailWhenTheProcessIsKilledThenReleasedOnTimeExactlyOnceAfterRestart() throws Exception {
        try (CaptureServer nextHop = new CaptureServer(null, null, null)) {
            int smtp = ChildGateway.freePort();
            Process first = start(smtp, nextHop.port(), "first");
            byte[] raw = TestMails.mail()
                    .to(ALICE)
                    .attach("plan.pdf", new byte[] {1, 2, 3})
                    .build();

            Instant sending = Instant.now();
            Reply reply;
            try (SmtpClient client = new SmtpClient("127.0.0.1", smtp)) {
                reply = client.send(SENDER, List.of(ALICE), new java.io.ByteArrayInputStream(raw));
            }
            assertThat(reply.code()).as(reply.text()).isEqualTo(250);
            assertThat(to(nextHop, SENDER)).as("the hold mail").hasSize(1);
            assertThat(to(nextHop, ALICE)).isEmpty();

            ChildGateway.kill(first);
            start(smtp, nextHop.port(), "second");

            Instant deadline = sending.plus(DELAY).plus(Duration.ofSeconds(60));
            while (to(nextHop, ALICE).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            Instant released = Instant.now();
            assertThat(to(nextHop, ALICE)).as(children.log("second")).hasSize(1);
            assertThat(released).as("not before its release time").isAfterOrEqualTo(sending.plus(DELAY));
            Thread.sleep(5000); // further ticks must not send it again
            assertThat(to(nextHop, ALICE)).hasSize(1);
            List<String> kinds = to(nextHop, SENDER).stream()
                    .map(c -> new String(c.bytes(), StandardCharsets.UTF_8))
                    .map(t -> t.replaceAll("(?s).*X-Todoke-Kind: ([a-z-]+).*", "$1"))
                    .toList();
            assertThat(kinds).containsExactly("hold", "receipt");
            assertThat(new String(to(nextHop, ALICE).getFirst().bytes(), StandardCharsets.UTF_8))
                    .contains("X-Todoke-Kind: notice");
        }
    }

    private static List<CaptureServer.Captured> to(CaptureServer server, String recipient) {
        return server.messages.stream()
                .filter(c -> c.recipients().contains(recipient))
                .toList();
    }

    private Process start(int smtpPort, int relayPort, String name) throws Exception {
        return children.start(
                name, smtpPort, relayPort, List.of("--todoke.hold.delay=" + DELAY, "--todoke.hold.poll-interval=1s"));
    }
}
