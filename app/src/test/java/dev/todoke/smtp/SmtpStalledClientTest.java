package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

/**
 * Issue 14: slow and stalled SMTP clients are bounded. {@code todoke.smtp.idle-timeout} closes a connection
 * that stays silent that long, between commands (SmtpListenerTest) and, here, inside a transaction and in
 * the middle of DATA: the half-received message is dropped, its spool file removed, nothing reaches the
 * filter, and the listener serves the next client.
 */
class SmtpStalledClientTest {

    private static final Duration IDLE = Duration.ofMillis(600);

    @TempDir
    Path dataDir;

    private final RecordingFilter filter = new RecordingFilter();
    private SmtpListener listener;

    @BeforeEach
    void start() {
        SmtpProperties properties = new SmtpProperties(
                "127.0.0.1",
                0,
                "mx.test.example",
                List.of("127.0.0.0/8"),
                DataSize.ofKilobytes(64),
                3,
                998,
                10,
                IDLE,
                new SmtpProperties.Tls(false, null, ""),
                SmtpProperties.RoutedLocalPart.EXTERNAL);
        TodokeProperties todoke = new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of());
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("filter", filter));
        listener = new SmtpListener(
                properties, todoke, beans.getBeanProvider(MailFilter.class), Clock.systemUTC(), new SecureRandom());
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop();
    }

    @Test
    void dataWhenClientStallsMidMessageThenClosedAndNothingKept() throws Exception {
        try (RawSmtpClient client = transaction()) {
            assertThat(client.command("DATA")).startsWith("354");
            client.send("From: a@example.com\r\nSubject: cut\r\n\r\nthe first half of the bo"
                    .getBytes(StandardCharsets.US_ASCII));

            String reply = awaitClose(client);

            assertThat(reply == null || reply.startsWith("421")).as(reply).isTrue();
        }
        assertThat(filter.received).isEmpty();
        assertNoSpoolFileLeft();
        assertServesNextClient();
    }

    @Test
    void transactionWhenClientStallsAfterRcptThenClosedAndNothingKept() throws Exception {
        try (RawSmtpClient client = transaction()) {
            String reply = awaitClose(client);

            assertThat(reply == null || reply.startsWith("421")).as(reply).isTrue();
        }
        assertThat(filter.received).isEmpty();
        assertServesNextClient();
    }

    private RawSmtpClient transaction() throws Exception {
        RawSmtpClient client = new RawSmtpClient("127.0.0.1", listener.port());
        assertThat(client.reply()).startsWith("220");
        assertThat(client.command("EHLO client.test")).startsWith("250");
        assertThat(client.command("MAIL FROM:<a@example.com>")).startsWith("250");
        assertThat(client.command("RCPT TO:<b@example.org>")).startsWith("250");
        return client;
    }

    /** Stays silent; returns the server's last words (null: closed without any), within a bound. */
    private static String awaitClose(RawSmtpClient client) throws Exception {
        long start = System.nanoTime();
        String reply = client.reply();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(waited).isGreaterThanOrEqualTo(IDLE.minusMillis(100)).isLessThan(IDLE.plusSeconds(10));
        return reply;
    }

    private void assertNoSpoolFileLeft() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Path> left;
        do {
            try (Stream<Path> files = Files.list(dataDir.resolve("spool"))) {
                left = files.toList();
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("spool files of the cut message").isEmpty();
    }

    private void assertServesNextClient() throws Exception {
        try (RawSmtpClient client = transaction()) {
            assertThat(client.command("QUIT")).startsWith("221");
        }
    }
}
