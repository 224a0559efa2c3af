package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.todoke.relay.RelayProperties.StartTls;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SmtpNextHopTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path temp;

    private static final byte[] MESSAGE = NextHopContract.MESSAGE;

    static RelayProperties properties(int port, StartTls starttls) {
        return properties(port, starttls, null, "", "", false);
    }

    private static RelayProperties properties(
            int port, StartTls starttls, Path trustStore, String user, String password, boolean authWithoutTls) {
        return properties(port, starttls, null, trustStore, user, password, authWithoutTls);
    }

    static RelayProperties properties(
            int port,
            StartTls starttls,
            Boolean verify,
            Path trustStore,
            String user,
            String password,
            boolean authWithoutTls) {
        return new RelayProperties(
                "127.0.0.1",
                port,
                starttls,
                verify,
                trustStore,
                "trust",
                "PKCS12",
                user,
                password,
                authWithoutTls,
                "todoke.test",
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @Test
    void sendWhenGreenMailCapturesThenEveryEnvelopeRecipientGetsTheMessage() throws Exception {
        NextHop nextHop = new SmtpNextHop(properties(greenMail.getSmtp().getPort(), StartTls.OPPORTUNISTIC));

        nextHop.send(
                "sender@example.com",
                List.of("one@example.org", "bcc-only@example.net", "third@example.com"),
                MessageContent.of(MESSAGE));

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(3);
        for (String recipient : List.of("one@example.org", "bcc-only@example.net", "third@example.com")) {
            var user = greenMail.getUserManager().getUserByEmail(recipient);
            assertThat(user).as(recipient).isNotNull();
            assertThat(greenMail
                            .getManagers()
                            .getImapHostManager()
                            .getInbox(user)
                            .getMessageCount())
                    .as(recipient)
                    .isEqualTo(1);
        }
        MimeMessage one = greenMail.getReceivedMessagesForDomain("example.org")[0];
        assertThat(one.getSubject()).isEqualTo("書類");
        assertThat(one.getHeader("Return-Path", null)).contains("sender@example.com");
        assertThat(nextHop.describe())
                .isEqualTo("smtp://127.0.0.1:" + greenMail.getSmtp().getPort());
    }

    @Test
    void sendWhenMessageHasDotsAnd8BitThenBytesArriveUnchanged() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.messages).hasSize(1);
            CaptureServer.Captured got = server.messages.getFirst();
            assertThat(got.bytes()).isEqualTo(MESSAGE);
            assertThat(got.sender()).isEqualTo("sender@example.com");
            assertThat(got.recipients()).containsExactly("one@example.org");
        }
    }

    @Test
    void sendWhenNullReversePathThenMailFromIsEmpty() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            new SmtpNextHop(properties(server.port(), StartTls.OFF))
                    .send("", List.of("one@example.org", "two@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.messages.getFirst().sender()).isEmpty();
            assertThat(server.messages.getFirst().recipients()).containsExactly("one@example.org", "two@example.org");
        }
    }

    @Test
    void sendWhenServerOffersStartTlsThenMessageGoesEncrypted() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, null, null)) {
            new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.messages.getFirst().tls()).isTrue();
            assertThat(server.messages.getFirst().bytes()).isEqualTo(MESSAGE);
        }
    }

    @Test
    void sendWhenStartTlsRequiredAndCertificateTrustedThenDelivered() throws Exception {
        TestCertificates certificates = new TestCertificates();
        Path trustStore = certificates.writeTrustStore(temp.resolve("trust.p12"));
        try (CaptureServer server = new CaptureServer(certificates.serverContext, null, null)) {
            new SmtpNextHop(properties(server.port(), StartTls.REQUIRED, trustStore, "", "", false))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.messages.getFirst().tls()).isTrue();
        }
    }

    @Test
    void sendWhenStartTlsRequiredAndCertificateUntrustedThenTemporaryFailure() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, null, null)) {
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.REQUIRED));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse());
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenStartTlsRequiredButNotOfferedThenTemporaryFailure() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.REQUIRED));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(RelayException.class, e -> {
                        assertThat(e.isPermanent()).isFalse();
                        assertThat(e).hasMessageContaining("STARTTLS");
                    });
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenAuthConfiguredThenLogsInOverTls() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "s3cret pass")) {
            new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "s3cret pass", false))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.logins).containsExactly("relay-user");
            assertThat(server.messages.getFirst().tls()).isTrue();
        }
    }

    @Test
    void sendWhenVerificationOnAndCertificateUntrustedThenTemporaryFailureWithoutLoginOrPlainText() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "pw")) {
            NextHop nextHop = new SmtpNextHop(
                    properties(server.port(), StartTls.OPPORTUNISTIC, true, null, "relay-user", "pw", false));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse())
                    .hasMessageContaining("TLS with next hop")
                    .hasMessageContaining("todoke.relay.trust-store");
            assertThat(server.logins).isEmpty();
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenVerificationOnAndTrustStoreHoldsThePrivateCaThenLogsInOverTls() throws Exception {
        TestCertificates certificates = new TestCertificates();
        Path trustStore = certificates.writeTrustStore(temp.resolve("trust.p12"));
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "pw")) {
            new SmtpNextHop(properties(
                            server.port(), StartTls.OPPORTUNISTIC, true, trustStore, "relay-user", "pw", false))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.logins).containsExactly("relay-user");
            assertThat(server.messages.getFirst().tls()).isTrue();
        }
    }

    @Test
    void sendWhenAuthWrongPasswordThenTemporaryFailure() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "right")) {
            NextHop nextHop = new SmtpNextHop(
                    properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "wrong", false));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse())
                    .message()
                    .doesNotContain("wrong");
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenAuthWithoutTlsThenCredentialsAreNotSent() throws Exception {
        try (CaptureServer server = new CaptureServer(null, "relay-user", "pw")) {
            NextHop nextHop =
                    new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "pw", false));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOf(RelayException.class)
                    .hasMessageContaining("without TLS");
            assertThat(server.logins).isEmpty();

            new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "pw", true))
                    .send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            assertThat(server.logins).containsExactly("relay-user");
        }
    }

    @Test
    void sendWhenOneRecipientRefused550ThenPermanentFailureAndNothingDelivered() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            server.recipientReply = r -> r.startsWith("nobody") ? 550 : 0;
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OFF));

            assertThatThrownBy(() -> nextHop.send(
                            "sender@example.com",
                            List.of("one@example.org", "nobody@example.org"),
                            MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(RelayException.class, e -> {
                        assertThat(e.isPermanent()).isTrue();
                        assertThat(e).hasMessageContaining("nobody@example.org").hasMessageContaining("550");
                    });
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenRecipientRefused450ThenTemporaryFailure() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            server.recipientReply = r -> 450;
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OFF));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse());
        }
    }

    @Test
    void sendWhenDataRefused554ThenPermanentFailure() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            server.dataReply = 554;
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OFF));

            assertThatThrownBy(() ->
                            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isTrue());
        }
    }

    @Test
    void sendWhenAddressCarriesCommandInjectionThenRefusedBeforeConnecting() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OFF));

            assertThatThrownBy(() -> nextHop.send(
                            "sender@example.com",
                            List.of("one@example.org>\r\nRCPT TO:<evil@example.com"),
                            MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isTrue());
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void sendWhenNextHopStoppedThenTemporaryFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        NextHop nextHop = new SmtpNextHop(properties(port, StartTls.OPPORTUNISTIC));

        assertThatThrownBy(() ->
                        nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                .isInstanceOfSatisfying(
                        RelayException.class, e -> assertThat(e.isPermanent()).isFalse());
    }

    @Test
    void sessionWhenSeveralSendsOverTlsAndAuthThenOneConnectionAndOneLogin() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "s3cret pass")) {
            NextHop nextHop = new SmtpNextHop(
                    properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "s3cret pass", false));
            try (NextHop.Session session = nextHop.session()) {
                for (int i = 0; i < 3; i++) {
                    session.send("sender@example.com", List.of("r" + i + "@example.org"), MessageContent.of(MESSAGE));
                }
            }

            assertThat(server.connections).hasSize(1);
            assertThat(server.logins).containsExactly("relay-user");
            assertThat(server.messages)
                    .extracting(m -> m.recipients().getFirst())
                    .containsExactly("r0@example.org", "r1@example.org", "r2@example.org");
            assertThat(server.messages).allSatisfy(m -> assertThat(m.tls()).isTrue());
        }
    }

    @Test
    void sessionWhenNextHopGoesAwayBetweenSendsThenReopensOnceAndFailsTemporarily() throws Exception {
        CaptureServer server = new CaptureServer(null, null, null);
        NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC));
        try (NextHop.Session session = nextHop.session()) {
            session.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            server.close();

            assertThatThrownBy(() ->
                            session.send("sender@example.com", List.of("two@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse());
        }
        assertThat(server.messages).hasSize(1);
    }

    @Test
    void sessionWhenFarSideDropsTheConnectionThenTheNextTransactionGoesOverANewOne() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null)) {
            NextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC));
            try (NextHop.Session session = nextHop.session()) {
                session.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
                server.dropConnections();
                session.send("sender@example.com", List.of("two@example.org"), MessageContent.of(MESSAGE));
                session.send("sender@example.com", List.of("three@example.org"), MessageContent.of(MESSAGE));
            }

            assertThat(server.connections).hasSize(2);
            assertThat(server.messages).hasSize(3);
        }
    }

    @Test
    void sessionWhenConnectionKeptBetweenMailsThenNextMailReusesItWithoutNewLogin() throws Exception {
        TestCertificates certificates = new TestCertificates();
        try (CaptureServer server = new CaptureServer(certificates.serverContext, "relay-user", "s3cret pass");
                SmtpNextHop nextHop = new SmtpNextHop(pooled(
                        properties(server.port(), StartTls.OPPORTUNISTIC, null, "relay-user", "s3cret pass", false),
                        Duration.ofMinutes(1)))) {
            for (int i = 0; i < 3; i++) {
                try (NextHop.Session session = nextHop.session()) {
                    session.send("sender@example.com", List.of("r" + i + "@example.org"), MessageContent.of(MESSAGE));
                }
            }

            assertThat(server.connections).hasSize(1);
            assertThat(server.logins).containsExactly("relay-user");
            assertThat(server.messages)
                    .hasSize(3)
                    .allSatisfy(m -> assertThat(m.tls()).isTrue());
        }
    }

    @Test
    void sessionWhenKeptConnectionDroppedByFarSideThenNextMailGoesOverANewOne() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null);
                SmtpNextHop nextHop = new SmtpNextHop(
                        pooled(properties(server.port(), StartTls.OPPORTUNISTIC), Duration.ofMinutes(1)))) {
            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            server.dropConnections();
            nextHop.send("sender@example.com", List.of("two@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.connections).hasSize(2);
            assertThat(server.messages)
                    .extracting(m -> m.recipients().getFirst())
                    .containsExactly("one@example.org", "two@example.org");
        }
    }

    @Test
    void sessionWhenKeptConnectionOlderThanIdleTimeoutThenNotReused() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null);
                SmtpNextHop nextHop =
                        new SmtpNextHop(pooled(properties(server.port(), StartTls.OPPORTUNISTIC), Duration.ZERO))) {
            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            nextHop.send("sender@example.com", List.of("two@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.connections).hasSize(2);
            assertThat(server.messages).hasSize(2);
        }
    }

    @Test
    void sessionWhenNoIdleConnectionsConfiguredThenEachMailOpensItsOwn() throws Exception {
        try (CaptureServer server = new CaptureServer(null, null, null);
                SmtpNextHop nextHop = new SmtpNextHop(properties(server.port(), StartTls.OPPORTUNISTIC))) {
            nextHop.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            nextHop.send("sender@example.com", List.of("two@example.org"), MessageContent.of(MESSAGE));

            assertThat(server.connections).hasSize(2);
        }
    }

    /** The same properties with a pool of two idle connections. */
    private static RelayProperties pooled(RelayProperties p, Duration idleTimeout) {
        return new RelayProperties(
                p.host(),
                p.port(),
                p.starttls(),
                p.verifyCertificate(),
                p.trustStore(),
                p.trustStorePassword(),
                p.trustStoreType(),
                p.username(),
                p.password(),
                p.authWithoutTls(),
                p.ehloName(),
                p.connectTimeout(),
                p.commandTimeout(),
                p.dataTimeout(),
                2,
                idleTimeout);
    }
}
