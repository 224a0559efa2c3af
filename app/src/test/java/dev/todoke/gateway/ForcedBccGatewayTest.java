package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Forced BCC over real SMTP ({@code todoke.bcc.threshold=5}): a mail to 30 external addresses in To and
 * Cc (display names with commas, plus one internal colleague) reaches every outside recipient showing no
 * other outside address, with or without an attachment; the colleague gets the original byte for byte and
 * the sender's receipt says the recipients did not see each other. Next hop: a byte-exact capture.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForcedBccGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    private static final List<String> OUTSIDE = IntStream.range(0, 30)
            .mapToObj(i -> "person" + i + "@partner" + (i % 7) + ".example")
            .toList();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.bcc.threshold", () -> "5");
    }

    private static byte[] toThirty(boolean attachment) throws Exception {
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        for (int i = 0; i < OUTSIDE.size(); i++) {
            String mailbox = "\"Person, No. " + i + "\" <" + OUTSIDE.get(i) + ">";
            (i < 15 ? to : cc).add(mailbox);
        }
        to.add(7, "Colleague <" + COLLEAGUE + ">");
        TestMails.Builder builder = mail().to(to.toArray(String[]::new)).cc(cc.toArray(String[]::new));
        if (attachment) {
            builder.attach("list.xlsx", randomBytes(20_000, 9));
        }
        return builder.build();
    }

    private List<String> envelope() {
        List<String> recipients = new ArrayList<>(OUTSIDE);
        recipients.add(COLLEAGUE);
        return recipients;
    }

    /** Every outside recipient got one copy naming only them and the colleague; the colleague the original. */
    private void assertEachOutsideCopyShowsOnlyItsRecipient(byte[] original) throws Exception {
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        for (String recipient : OUTSIDE) {
            byte[] raw = nextHop.rawFor(recipient).getFirst();
            assertThat(nextHop.rawFor(recipient)).hasSize(1);
            MimeMessage copy = NextHopCapture.parse(raw);
            assertThat(copy.getRecipients(RecipientType.TO))
                    .extracting(a -> ((InternetAddress) a).getAddress())
                    .containsExactly(recipient);
            assertThat(copy.getRecipients(RecipientType.CC))
                    .extracting(a -> ((InternetAddress) a).getAddress())
                    .containsExactly(COLLEAGUE);
            assertThat(copy.getHeader("Bcc")).isNull();
            String text = new String(raw, StandardCharsets.UTF_8);
            for (String other : OUTSIDE) {
                if (!other.equals(recipient)) {
                    assertThat(text).as("%s's copy", recipient).doesNotContain(other);
                }
            }
        }
    }

    private String receiptText() throws Exception {
        List<MimeMessage> receipts = nextHop.messagesFor(SENDER);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.getFirst().getHeader("X-Todoke-Kind", null)).isEqualTo("receipt");
        return TestMails.allText(receipts.getFirst());
    }

    @Test
    void processWhenThirtyOutsideAddressesWithAttachmentThenEachCopyShowsOnlyItsRecipient() throws Exception {
        byte[] original = toThirty(true);

        Reply reply = GatewayTestSupport.send(listener, SENDER, envelope(), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertEachOutsideCopyShowsOnlyItsRecipient(original);
        for (String recipient : OUTSIDE) {
            MimeMessage copy = NextHopCapture.parse(nextHop.rawFor(recipient).getFirst());
            assertThat(copy.getHeader("X-Todoke-Kind", null)).isEqualTo("notice");
            assertThat(TestMails.allText(copy)).contains(PUBLIC_URL + "/d/", "list.xlsx");
        }
        assertThat(receiptText())
                .contains("強制BCC変換", "Forced BCC: recipients did not see each other")
                .contains(PUBLIC_URL + "/s/", "list.xlsx");
        assertThat(nextHop.count()).isEqualTo(32);
        assertThat(nextHop.connections())
                .as("the copies, the original to the colleague and the receipt share one connection")
                .isEqualTo(1);
    }

    @Test
    void processWhenThirtyOutsideAddressesWithoutAttachmentThenHeaderOnlyCopiesAndReceipt() throws Exception {
        byte[] original = toThirty(false);
        int messagesBefore = messages();

        Reply reply = GatewayTestSupport.send(listener, SENDER, envelope(), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertEachOutsideCopyShowsOnlyItsRecipient(original);
        String originalText = new String(original, StandardCharsets.UTF_8);
        String body = originalText.substring(originalText.indexOf("\r\n\r\n"));
        for (String recipient : OUTSIDE) {
            String copy = new String(nextHop.rawFor(recipient).getFirst(), StandardCharsets.UTF_8);
            assertThat(copy).endsWith(body).doesNotContain("X-Todoke-Kind");
        }
        assertThat(receiptText())
                .contains("Forced BCC: recipients did not see each other", OUTSIDE.getFirst(), COLLEAGUE)
                .doesNotContain(PUBLIC_URL + "/s/");
        assertThat(nextHop.count()).isEqualTo(32);
        assertThat(messages()).as("nothing stored, nothing to manage").isEqualTo(messagesBefore);
    }

    private int messages() {
        return jdbc.sql("select count(*) from message").query(Integer.class).single();
    }
}
