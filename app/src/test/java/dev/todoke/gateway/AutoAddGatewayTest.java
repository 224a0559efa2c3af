package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Auto-added recipients over real SMTP: an internal archive mailbox (every sender of example.jp, {@code
 * original=true}) and a supervisor outside (only mail of {@link GatewayTestSupport#SENDER}) are added as
 * Bcc. The archive gets the original byte for byte, the supervisor a copy with a link like any outside
 * recipient; no header of any copy names either of them, and the receipt lists both. Next hop: a
 * byte-exact capture.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AutoAddGatewayTest extends GatewayTestBase {

    static final String ARCHIVE = "archive@example.jp";
    static final String SUPERVISOR = "boss@supervisors.example";

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.recipients.auto-add[0].match-sender", () -> "@example.jp");
        registry.add("todoke.recipients.auto-add[0].address", () -> ARCHIVE);
        registry.add("todoke.recipients.auto-add[0].original", () -> "true");
        registry.add("todoke.recipients.auto-add[1].match-sender", () -> SENDER);
        registry.add("todoke.recipients.auto-add[1].address", () -> SUPERVISOR);
        registry.add("todoke.recipients.auto-add[1].as", () -> "bcc");
    }

    @Test
    void processWhenRulesMatchThenArchiveGetsOriginalSupervisorALinkAndNoHeaderNamesThem() throws Exception {
        byte[] original = mail().to(ALICE)
                .cc(COLLEAGUE)
                .subject("Quotation with archive")
                .attach("quotation.pdf", randomBytes(10_000, 3))
                .build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE, COLLEAGUE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(ARCHIVE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        MimeMessage supervisorCopy =
                NextHopCapture.parse(nextHop.rawFor(SUPERVISOR).getFirst());
        assertThat(nextHop.rawFor(SUPERVISOR)).hasSize(1);
        assertThat(supervisorCopy.getHeader("X-Todoke-Kind", null)).isEqualTo("notice");
        assertThat(TestMails.allText(supervisorCopy)).contains(PUBLIC_URL + "/d/", "quotation.pdf");
        byte[] aliceRaw = nextHop.rawFor(ALICE).getFirst();
        assertThat(new String(aliceRaw, StandardCharsets.UTF_8)).doesNotContain(SUPERVISOR, ARCHIVE);
        for (MimeMessage copy : List.of(NextHopCapture.parse(aliceRaw), supervisorCopy)) {
            assertThat(addresses(copy)).containsExactlyInAnyOrder(ALICE, COLLEAGUE);
            assertThat(copy.getHeader("Bcc")).isNull();
        }
        assertThat(jdbc.sql("select l.recipient from link l join message m on m.id = l.message_id"
                                + " where m.subject = 'Quotation with archive' order by l.recipient")
                        .query(String.class)
                        .list())
                .containsExactly(ALICE, SUPERVISOR);

        List<MimeMessage> receipts = nextHop.messagesFor(SENDER);
        assertThat(receipts).hasSize(1);
        assertThat(TestMails.allText(receipts.getFirst()))
                .contains("宛先自動追加", "Auto-added recipients")
                .contains(ARCHIVE + " (原本・添付ファイル付き / the original with its attachments)")
                .contains(SUPERVISOR);
    }

    @Test
    void processWhenOnlyTheDomainRuleMatchesThenOnlyTheArchiveIsAdded() throws Exception {
        byte[] original = mail().to(ALICE)
                .subject("From someone else")
                .attach("notes.pdf", randomBytes(2_000, 4))
                .build();

        Reply reply = GatewayTestSupport.send(listener, "someone@example.jp", List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(ARCHIVE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(SUPERVISOR)).isEmpty();
        assertThat(TestMails.allText(nextHop.messagesFor("someone@example.jp").getFirst()))
                .contains(ARCHIVE)
                .doesNotContain(SUPERVISOR);
    }

    private static List<String> addresses(MimeMessage message) throws Exception {
        List<String> all = new ArrayList<>();
        for (RecipientType type : List.of(RecipientType.TO, RecipientType.CC, RecipientType.BCC)) {
            Address[] found = message.getRecipients(type);
            if (found != null) {
                for (Address a : found) {
                    all.add(((InternetAddress) a).getAddress());
                }
            }
        }
        return all;
    }
}
