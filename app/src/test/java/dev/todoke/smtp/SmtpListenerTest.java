package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

class SmtpListenerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private final RecordingFilter filter = new RecordingFilter();
    private SmtpListener listener;

    @AfterEach
    void stop() {
        if (listener != null && listener.isRunning()) {
            listener.stop();
        }
    }

    private SmtpListener start(List<String> networks, boolean withFilter) {
        return start(networks, withFilter, Duration.ofSeconds(30));
    }

    private SmtpListener start(List<String> networks, boolean withFilter, Duration idleTimeout) {
        return start(properties(networks, 10, idleTimeout, true), withFilter ? Map.of("filter", filter) : Map.of());
    }

    /** Starts a listener with these settings and these filter beans (by bean name). */
    private SmtpListener start(SmtpProperties properties, Map<String, Object> filters) {
        TodokeProperties todoke = new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of());
        StaticListableBeanFactory beans = new StaticListableBeanFactory(filters);
        listener = new SmtpListener(
                properties, todoke, beans.getBeanProvider(MailFilter.class), CLOCK, new SecureRandom());
        listener.start();
        return listener;
    }

    private static SmtpProperties properties(
            List<String> networks, int maxConnections, Duration idleTimeout, boolean tls) {
        return new SmtpProperties(
                "127.0.0.1",
                0,
                "mx.test.example",
                networks,
                DataSize.ofKilobytes(64),
                3,
                998,
                maxConnections,
                idleTimeout,
                new SmtpProperties.Tls(tls, null, ""),
                SmtpProperties.RoutedLocalPart.EXTERNAL);
    }

    private static SmtpProperties withRoutedLocalPart(
            SmtpProperties p, SmtpProperties.RoutedLocalPart routedLocalPart) {
        return with(p, p.maxMessageSize(), routedLocalPart);
    }

    private static SmtpProperties with(
            SmtpProperties p, DataSize maxMessageSize, SmtpProperties.RoutedLocalPart routedLocalPart) {
        return new SmtpProperties(
                p.host(),
                p.port(),
                p.hostName(),
                p.allowedNetworks(),
                maxMessageSize,
                p.maxRecipients(),
                p.maxLineLength(),
                p.maxConnections(),
                p.idleTimeout(),
                p.tls(),
                routedLocalPart);
    }

    private SmtpListener start() {
        return start(List.of("127.0.0.0/8", "::1/128"), true);
    }

    private RawSmtpClient connect() throws Exception {
        RawSmtpClient client = new RawSmtpClient("127.0.0.1", listener.port());
        assertThat(client.reply()).startsWith("220 mx.test.example");
        assertThat(client.command("EHLO client.test")).startsWith("250-");
        return client;
    }

    private static byte[] message(String body) {
        return ("From: a@example.com\r\nTo: b@example.org\r\nSubject: test\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The message key, as stored in copy_retry: SHA-256 of the sender line, a zero byte, the bytes. */
    private static String messageKey(String sender, byte[] message) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(("from " + sender + "\n\0").getBytes(StandardCharsets.UTF_8));
        sha.update(message);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Sends DATA with dot-stuffing done by hand, as an SMTP client must. */
    private static String sendData(RawSmtpClient client, byte[] message) throws Exception {
        assertThat(client.command("DATA")).startsWith("354");
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String stuffed = (text.startsWith(".") ? "." : "") + text.replace("\r\n.", "\r\n..");
        client.send(
                (stuffed + (stuffed.endsWith("\r\n") ? "" : "\r\n") + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return client.reply();
    }

    @Test
    void startWhenStoppedBeforeThenServesAgain() throws Exception {
        start();
        listener.stop();

        listener.start();

        assertThat(listener.isRunning()).isTrue();
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<a@example.com>")).startsWith("250");
            assertThat(client.command("RCPT TO:<b@example.org>")).startsWith("250");
            assertThat(sendData(client, message("again\r\n"))).startsWith("250");
        }
    }

    @Test
    void dataWhenFilterAcceptsThenReplies250AndFilterGotExactBytes() throws Exception {
        start();
        byte[] body =
                "Grüße aus 東京\r\n.a line starting with a dot\r\n..two dots\r\nend\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] message = concat(message(""), body);
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<sender@example.com> BODY=8BITMIME"))
                    .startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(client.command("RCPT TO:<two@example.net>")).startsWith("250");
            assertThat(sendData(client, message)).startsWith("250 2.0.0");
            assertThat(client.command("QUIT")).startsWith("221");
        }
        assertThat(filter.received).hasSize(1);
        RecordingFilter.Received got = filter.received.getFirst();
        assertThat(got.envelope().sender()).isEqualTo("sender@example.com");
        assertThat(got.envelope().recipients()).containsExactly("one@example.org", "two@example.net");
        assertThat(got.envelope().clientAddress()).isEqualTo("127.0.0.1");
        assertThat(got.envelope().heloName()).isEqualTo("client.test");
        assertThat(got.bytes()).isEqualTo(message);
        assertThat(got.spool().startsWith(dataDir.resolve("spool").toAbsolutePath()))
                .isTrue();
        assertThat(got.spool()).doesNotExist();
    }

    @Test
    void dataWhenAcceptedThenEnvelopeCarriesTheMessageKeyOfExactBytesAndTheRetryFingerprint() throws Exception {
        start();
        byte[] message = message("first line\r\n.dot line\r\n");
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<sender@example.com>")).startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(client.command("RCPT TO:<two@example.net>")).startsWith("250");
            assertThat(sendData(client, message)).startsWith("250");
        }
        String key = messageKey("sender@example.com", message);
        // The retry fingerprint: SHA-256 of the envelope lines, a zero byte, the key's hex.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(
                "from sender@example.com\nto one@example.org\nto two@example.net\n\0".getBytes(StandardCharsets.UTF_8));
        sha.update(key.getBytes(StandardCharsets.US_ASCII));
        Envelope envelope = filter.received.getFirst().envelope();
        assertThat(envelope.messageKey()).isEqualTo(key);
        assertThat(envelope.fingerprint()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void dataWhenLargerThanWriteBehindThresholdThenFilterGotExactBytesAndTheirMessageKey() throws Exception {
        SmtpProperties p = properties(List.of("127.0.0.0/8"), 10, Duration.ofSeconds(30), false);
        start(with(p, DataSize.ofMegabytes(20), p.routedLocalPart()), Map.of("filter", filter));
        // 12 MB of 76-character lines, a dot-stuffed line every 1,000 lines: past the 8 MiB write-behind
        StringBuilder body = new StringBuilder();
        java.util.Random random = new java.util.Random(12);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int line = 0; body.length() < 12 * 1024 * 1024; line++) {
            if (line % 1000 == 0) {
                body.append('.');
            }
            for (int i = 0; i < 76; i++) {
                body.append(alphabet.charAt(random.nextInt(64)));
            }
            body.append("\r\n");
        }
        byte[] message = concat(message(""), body.toString().getBytes(StandardCharsets.US_ASCII));
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<sender@example.com>")).startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(sendData(client, message)).startsWith("250 2.0.0");
        }
        RecordingFilter.Received got = filter.received.getFirst();
        assertThat(got.bytes()).isEqualTo(message);
        assertThat(got.envelope().messageKey()).isEqualTo(messageKey("sender@example.com", message));

        // the filter watched the spool as it grew: readable lengths, ending with the whole message
        assertThat(filter.watched).isEqualTo(got.spool());
        assertThat(filter.unreadable).isEmpty();
        List<String> events = filter.events;
        List<Long> grown = events.stream()
                .filter(e -> e.startsWith("grown:"))
                .map(e -> Long.parseLong(e.substring(6)))
                .toList();
        assertThat(grown).isSorted().doesNotHaveDuplicates().last().isEqualTo((long) message.length);
        assertThat(grown.getFirst()).isGreaterThan(8L * 1024 * 1024);
        assertThat(events.subList(grown.size(), events.size())).containsExactly("ended:true", "process", "close");
    }

    @Test
    void dataWhenLargeAndOverTheSizeLimitThenTheWatchEndsIncompleteAndIsClosedWithoutProcessing() throws Exception {
        SmtpProperties p = properties(List.of("127.0.0.0/8"), 10, Duration.ofSeconds(30), false);
        start(with(p, DataSize.ofMegabytes(10), p.routedLocalPart()), Map.of("filter", filter));
        String line = "A".repeat(76) + "\r\n";
        byte[] message = concat(message(""), line.repeat(12 * 1024 * 1024 / 78).getBytes(StandardCharsets.US_ASCII));
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<sender@example.com>")).startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(sendData(client, message)).startsWith("552");
        }

        assertThat(filter.received).isEmpty();
        List<String> events = filter.events;
        assertThat(events).isNotEmpty().doesNotContain("process", "ended:true");
        assertThat(events.subList(events.size() - 2, events.size())).containsExactly("ended:false", "close");
    }

    @Test
    void mailWhenNullReversePathThenEnvelopeSenderIsEmpty() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<>")).startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(sendData(client, message("bounce\r\n"))).startsWith("250");
        }
        assertThat(filter.received.getFirst().envelope().sender()).isEmpty();
    }

    @Test
    void dataWhenFilterThrowsThenReplies451AndNextTransactionWorks() throws Exception {
        start();
        filter.failure = new IllegalStateException("database down: secret detail");
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            String reply = sendData(client, message("hello\r\n"));
            assertThat(reply).startsWith("451 4.3.0").doesNotContain("secret").doesNotContain("Exception");

            filter.failure = null;
            assertThat(client.command("MAIL FROM:<sender@example.com>")).startsWith("250");
            assertThat(client.command("RCPT TO:<one@example.org>")).startsWith("250");
            assertThat(sendData(client, message("again\r\n"))).startsWith("250");
        }
        assertThat(filter.received).hasSize(2);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void dataWhenFilterRejectsThenRepliesItsCodeStatusAndText() throws Exception {
        start();
        filter.rejection = new SmtpRejection(554, "5.6.0", "Broken MIME structure: boundary never closed");
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(sendData(client, message("hello\r\n")))
                    .isEqualTo("554 5.6.0 Broken MIME structure: boundary never closed");
        }
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void mailWhenNoFilterBeanThenReplies451NotReady() throws Exception {
        start(List.of("127.0.0.0/8"), false);
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("MAIL FROM:<sender@example.com>")).startsWith("451 4.3.0 Gateway not ready");
        }
    }

    @Test
    void mailWhenDeclaredSizeOverLimitThenReplies552() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("EHLO client.test"))
                    .contains("SIZE 65536")
                    .contains("8BITMIME");
            assertThat(client.command("MAIL FROM:<sender@example.com> SIZE=70000"))
                    .startsWith("552 5.3.4");
        }
    }

    @Test
    void dataWhenActualSizeOverLimitThenReplies552AndSessionGoesOn() throws Exception {
        start();
        String big = ("x".repeat(76) + "\r\n").repeat(1000); // 78 KB > 64 KB
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(sendData(client, message(big))).startsWith("552 5.3.4");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        assertThat(filter.received).isEmpty();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void dataWhenLineLongerThanLimitThenReplies554() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(sendData(client, message("y".repeat(1200) + "\r\n"))).startsWith("554 5.6.0");
        }
        assertThat(filter.received).isEmpty();
    }

    @Test
    void recipientWhenMoreThanLimitThenReplies452() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            for (int i = 1; i <= 3; i++) {
                assertThat(client.command("RCPT TO:<r" + i + "@example.org>")).startsWith("250");
            }
            assertThat(client.command("RCPT TO:<r4@example.org>")).startsWith("452 4.5.3");
            assertThat(sendData(client, message("hello\r\n"))).startsWith("250");
        }
        assertThat(filter.received.getFirst().envelope().recipients()).hasSize(3);
    }

    @Test
    void recipientWhenRoutedLocalPartAndRefuseThenReplies550AndOthersAreKept() throws Exception {
        start(
                withRoutedLocalPart(
                        properties(List.of("127.0.0.0/8"), 10, Duration.ofMinutes(1), false),
                        SmtpProperties.RoutedLocalPart.REFUSE),
                Map.of("filter", filter));
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            assertThat(client.command("RCPT TO:<bob%evil.example@example.org>")).startsWith("550 5.1.3");
            assertThat(client.command("RCPT TO:<\"eve@evil.example\"@example.org>"))
                    .startsWith("550 5.1.3");
            assertThat(client.command("RCPT TO:<evil!bob@example.org>")).startsWith("550 5.1.3");
            assertThat(client.command("RCPT TO:<carol@example.org>")).startsWith("250");
            assertThat(sendData(client, message("hello\r\n"))).startsWith("250");
        }
        assertThat(filter.received.getFirst().envelope().recipients()).containsExactly("carol@example.org");
    }

    @Test
    void recipientWhenRoutedLocalPartByDefaultThenAcceptedForTheGatewayToTreatAsExternal() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            assertThat(client.command("RCPT TO:<bob%evil.example@example.org>")).startsWith("250");
            assertThat(sendData(client, message("hello\r\n"))).startsWith("250");
        }
        assertThat(filter.received.getFirst().envelope().recipients()).containsExactly("bob%evil.example@example.org");
    }

    @Test
    void connectWhenClientNotInAllowedNetworksThenRefused554() throws Exception {
        start(List.of("10.0.0.0/8", "2001:db8::/32"), true);
        try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", listener.port())) {
            assertThat(client.reply()).startsWith("554 5.7.1");
            assertThat(client.reply()).isNull(); // connection closed
        }
        assertThat(filter.received).isEmpty();
    }

    @Test
    void startTlsWhenClientUpgradesThenMailIsDelivered() throws Exception {
        start();
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(listener.port()));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(props);
        MimeMessage mime = new MimeMessage(session);
        mime.setFrom(new InternetAddress("sender@example.com"));
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress("one@example.org"));
        mime.setSubject("over TLS");
        mime.setText("hello over TLS");
        mime.saveChanges();
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(mime, mime.getAllRecipients());
            assertThat(transport.getLastServerResponse()).startsWith("250");
        }
        assertThat(filter.received).hasSize(1);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        mime.writeTo(sent);
        assertThat(new String(filter.received.getFirst().bytes(), StandardCharsets.UTF_8))
                .contains("hello over TLS");
        assertThat(dataDir.resolve("tls/smtp.p12")).exists();
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("tls/smtp.p12")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void sessionWhenGarbageSentThenServerKeepsServing() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("RCPT TO:<x@example.org>")).startsWith("503");
            assertThat(client.command("DATA")).startsWith("503");
            assertThat(client.command("MAIL FROM:<not an address")).startsWith("5");
            client.send(new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'});
            String reply = client.reply(); // a 5xx reply, or the connection closed
            assertThat(reply == null || reply.startsWith("5")).isTrue();
        }
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(sendData(client, message("still here\r\n"))).startsWith("250");
        }
    }

    @Test
    void dataWhenBareLineFeedDotThenItDoesNotEndTheMessage() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(client.command("DATA")).startsWith("354");
            client.send("Subject: smuggle\r\n\r\nhello\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(client.reply()).startsWith("250");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        assertThat(filter.received).hasSize(1);
        assertThat(new String(filter.received.getFirst().bytes(), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: smuggle\r\n\r\nhello\n.\nMAIL FROM:<evil@example.com>\r\n");
    }

    @Test
    void mailWhenInternationalizedAddressesThenAcceptedUnchanged() throws Exception {
        start();
        try (RawSmtpClient client = connect()) {
            assertThat(client.command("EHLO client.test")).contains("SMTPUTF8");
            assertThat(client.command("MAIL FROM:<送信者@example.jp> SMTPUTF8")).startsWith("250");
            assertThat(client.command("RCPT TO:<受信者@例え.jp>")).startsWith("250");
            assertThat(sendData(client, message("utf8\r\n"))).startsWith("250");
        }
        assertThat(filter.received.getFirst().envelope().sender()).isEqualTo("送信者@example.jp");
        assertThat(filter.received.getFirst().envelope().recipients()).containsExactly("受信者@例え.jp");
    }

    @Test
    void sessionWhenClientIdlePastTimeoutThenClosedWith421() throws Exception {
        start(List.of("127.0.0.0/8"), true, Duration.ofMillis(500));
        try (RawSmtpClient client = connect()) {
            Thread.sleep(1500);
            String reply = client.reply();
            assertThat(reply == null || reply.startsWith("421")).isTrue();
        }
    }

    @Test
    void dataWhenSpoolNotWritableThenReplies451AndSessionGoesOn() throws Exception {
        start();
        Path spool = dataDir.resolve("spool");
        Files.delete(spool);
        Files.writeString(spool, "not a directory");
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(sendData(client, message("hello\r\n"))).startsWith("451 4.3.0");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        assertThat(filter.received).isEmpty();
    }

    @Test
    void stopWhenMessageInProcessThenItIsAnsweredAndNewClientsGet421() throws Exception {
        java.util.concurrent.CountDownLatch inFilter = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        MailFilter slow = (envelope, message) -> {
            inFilter.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        start(properties(List.of("127.0.0.0/8"), 10, Duration.ofSeconds(30), false), Map.of("slow", slow));
        int port = listener.port();
        try (RawSmtpClient client = connect()) {
            client.command("MAIL FROM:<sender@example.com>");
            client.command("RCPT TO:<one@example.org>");
            assertThat(client.command("DATA")).startsWith("354");
            client.send("Subject: slow\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(inFilter.await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();

            Thread stopper = Thread.ofPlatform().start(listener::stop);
            Thread.sleep(300);
            try (RawSmtpClient late = new RawSmtpClient("127.0.0.1", port)) {
                assertThat(late.reply()).startsWith("421 4.3.2");
            }
            release.countDown();
            assertThat(client.reply()).startsWith("250");
            stopper.join(10_000);
            assertThat(listener.isRunning()).isFalse();
        }
    }

    @Test
    void connectWhenMaxConnectionsReachedThenReplies421() throws Exception {
        start(properties(List.of("127.0.0.0/8"), 1, Duration.ofSeconds(30), false), Map.of("filter", filter));
        try (RawSmtpClient first = connect();
                RawSmtpClient second = new RawSmtpClient("127.0.0.1", listener.port())) {
            assertThat(second.reply()).startsWith("421");
            assertThat(first.command("NOOP")).startsWith("250");
        }
    }

    private List<Path> spoolFiles() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("spool"))) {
            return files.toList();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
