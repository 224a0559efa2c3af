package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.todoke.smtp.SmtpListener;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The TLS policy end to end through the gateway: with {@code keep-if-verified}, the copy for the domain
 * whose server is tls-verified keeps its attachment, the other domain's copy gets a link. Real SMTP on
 * every side: a client to the listener, GreenMail as next hop, test MX servers and a stub DNS on loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsPolicyThroughGatewayTest {

    static final String VERIFIED = "alice@verified.test";
    static final String PLAIN = "bob@plain.test";
    static final Path DIR;
    static final TestSmtpServer VERIFIED_MX;
    static final TestSmtpServer PLAIN_MX;
    static final StubDnsServer DNS;
    static final Path TRUST_STORE;
    static final GreenMail NEXT_HOP;

    static {
        try {
            DIR = Files.createTempDirectory("tls-gateway-test");
            TestPki.Issued ca = TestPki.ca("Gateway Test CA");
            TestPki.Issued leaf = TestPki.leaf(ca, "localhost", "localhost");
            TRUST_STORE = TestPki.writeTrustStore(DIR, ca.cert());
            VERIFIED_MX = TestSmtpServer.starttls(TestPki.serverContext(leaf));
            PLAIN_MX = TestSmtpServer.plain();
            DNS = new StubDnsServer();
            String spki = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(leaf.cert().getPublicKey().getEncoded()));
            DNS.add("_25._tcp.localhost TLSA 3 1 1 " + spki).authenticated("_25._tcp.localhost");
            NEXT_HOP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            NEXT_HOP.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", () -> DIR.resolve("data").toString());
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.mail.envelope-from", () -> "todoke@example.jp");
        registry.add("todoke.relay.host", () -> "127.0.0.1");
        registry.add("todoke.relay.port", () -> NEXT_HOP.getSmtp().getPort());
        registry.add("todoke.internal-domains", () -> "example.jp");
        registry.add("todoke.public-url", () -> "https://files.example.jp");
        registry.add("todoke.tls.policy.default", () -> "keep-if-verified");
        registry.add("todoke.tls.resolver", DNS::address);
        registry.add("todoke.tls.trust-store", TRUST_STORE::toString);
        registry.add("todoke.tls.trust-store-password", () -> TestPki.STORE_PASSWORD);
        registry.add("todoke.tls.mx-overrides[verified.test]", () -> "localhost:" + VERIFIED_MX.port());
        registry.add("todoke.tls.mx-overrides[plain.test]", () -> "localhost:" + PLAIN_MX.port());
    }

    @AfterAll
    static void stop() throws Exception {
        NEXT_HOP.stop();
        VERIFIED_MX.close();
        PLAIN_MX.close();
        DNS.close();
    }

    @Autowired
    SmtpListener listener;

    @Autowired
    JdbcClient jdbc;

    @Test
    void processWhenKeepIfVerifiedThenVerifiedDomainKeepsAttachmentAndOtherDomainGetsLink() throws Exception {
        byte[] pdf = new byte[50_000];
        new Random(7).nextBytes(pdf);
        byte[] original = mail(pdf);

        String reply = send("sender@example.jp", List.of(VERIFIED, PLAIN), original);

        assertThat(reply).startsWith("250");
        List<MimeMessage> verified = delivered(VERIFIED);
        List<MimeMessage> plain = delivered(PLAIN);
        assertThat(verified).hasSize(1);
        assertThat(plain).hasSize(1);
        assertThat(attachments(verified.get(0))).containsExactly(HexFormat.of().formatHex(sha256(pdf)));
        assertThat(attachments(plain.get(0))).isEmpty();
        assertThat(text(plain.get(0)))
                .contains("https://files.example.jp/d/")
                .contains("Rule applied: Attachments sent as links; TLS check of plain.test: no-tls")
                .contains("default keep-if-verified");
        assertThat(text(verified.get(0))).doesNotContain("https://files.example.jp/d/");

        List<String> audited = jdbc.sql("select detail from audit_event where kind = 'tls-policy' order by id")
                .query(String.class)
                .list();
        assertThat(audited)
                .anySatisfy(d -> assertThat(d)
                        .contains("Attachments kept")
                        .contains("verified.test is tls-verified")
                        .contains("default keep-if-verified"))
                .anySatisfy(d -> assertThat(d).contains("plain.test: no-tls").contains("default keep-if-verified"));
    }

    /** The messages the next hop delivered to one envelope recipient's mailbox. */
    private static List<MimeMessage> delivered(String address) throws Exception {
        GreenMailUser user = NEXT_HOP.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        List<MimeMessage> messages = new ArrayList<>();
        for (var stored :
                NEXT_HOP.getManagers().getImapHostManager().getInbox(user).getMessages()) {
            messages.add(stored.getMimeMessage());
        }
        return messages;
    }

    private static byte[] mail(byte[] pdf) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("sender@example.jp"));
        message.setRecipients(MimeMessage.RecipientType.TO, VERIFIED + ", " + PLAIN);
        message.setSubject("Quotation", "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Please find the quotation attached.", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(pdf, "application/pdf");
        attachment.setFileName("quotation.pdf");
        attachment.setDisposition(Part.ATTACHMENT);
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** SHA-256 (hex) of every attachment in the message. */
    private static List<String> attachments(Part part) throws Exception {
        List<String> found = new ArrayList<>();
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                found.addAll(attachments(multipart.getBodyPart(i)));
            }
        } else if (part instanceof BodyPart && part.getFileName() != null) {
            try (var in = part.getInputStream()) {
                found.add(HexFormat.of().formatHex(sha256(in.readAllBytes())));
            }
        }
        return found;
    }

    private static String text(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(text(multipart.getBodyPart(i)));
            }
            return all.toString();
        }
        return part.isMimeType("text/*") ? String.valueOf(part.getContent()) : "";
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private String send(String from, List<String> recipients, byte[] message) throws IOException {
        return GatewaySmtp.send(listener.port(), from, recipients, message);
    }
}
