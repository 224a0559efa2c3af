package dev.todoke.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The next hop's readiness: greeting read over a real socket, results reused for a few seconds. */
class NextHopHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));

    @Test
    void healthWhenNextHopGreetsThenUpAndCachedUntilTheCachePeriodEnds() throws Exception {
        AtomicReference<String> greeting = new AtomicReference<>("220 relay.test ESMTP");
        try (ServerSocket server = greeter(greeting)) {
            NextHopHealth health = new NextHopHealth(
                    "127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2), Duration.ofSeconds(5), clock);

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            greeting.set("421 4.3.2 shutting down");
            clock.advance(Duration.ofSeconds(4));
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            clock.advance(Duration.ofSeconds(1));
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void healthWhenNothingListensThenDown() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        NextHopHealth health =
                new NextHopHealth("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(5), clock);

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void healthWhenNextHopAnswers421ThenDown() throws Exception {
        try (ServerSocket server = greeter(new AtomicReference<>("421 busy"))) {
            NextHopHealth health = new NextHopHealth(
                    "127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2), Duration.ofSeconds(5), clock);

            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        }
    }

    /** A server that greets each connection with {@code line} and closes it, on a virtual thread. */
    private static ServerSocket greeter(AtomicReference<String> line) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    OutputStream out = socket.getOutputStream();
                    out.write((line.get() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.getInputStream().read(new byte[16]);
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }
}
