package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Direction and the address rule over real SMTP: only mail from an internal sender (or the null sender)
 * is rewritten, inbound mail passes unchanged and nothing goes back to its sender; a recipient in an
 * internal domain whose local part may route elsewhere ({@code @}, {@code %}, {@code !}) is external: it
 * gets a copy with a link, never the file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MailDirectionGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"bob%evil.example@example.jp", "\"eve@evil.example\"@example.jp", "evil.example!bob@example.jp"})
    void processWhenInternalDomainButRoutedLocalPartThenRecipientGetsLinkNotFile(String routed) throws Exception {
        byte[] file = randomBytes(20_000, 7);
        byte[] original = mail().to(COLLEAGUE).attach("salaries.xlsx", file).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, routed), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        byte[] copy = nextHop.rawFor(routed).getFirst();
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("X-Todoke-Kind: notice");
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).contains(PUBLIC_URL + "/d/");
        assertThat(text)
                .doesNotContain(new String(file, 0, 64, StandardCharsets.ISO_8859_1))
                .doesNotContain(Base64.getEncoder().encodeToString(file).substring(0, 64))
                .doesNotContain(Base64.getMimeEncoder().encodeToString(file).substring(0, 64));
    }

    @Test
    void processWhenSenderOutsideInternalDomainsThenEveryoneGetsTheOriginalAndSenderGetsNothing() throws Exception {
        String outsider = "alice@partner.example";
        String external = "bob@other.example";
        byte[] original = mail().to(COLLEAGUE, external)
                .attach("invoice.pdf", randomBytes(30_000, 3))
                .build();

        Reply reply = GatewayTestSupport.send(listener, outsider, List.of(COLLEAGUE, external), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(external)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(outsider)).isEmpty();
        assertThat(nextHop.count()).as("one message per recipient, no receipt").isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from message").query(Integer.class).single())
                .isZero();
    }

    @Test
    void processWhenNullSenderWithAttachmentThenExternalRecipientGetsLinkAndNoReceiptGoesAnywhere() throws Exception {
        String external = "bob@other.example";
        byte[] file = randomBytes(30_000, 4);
        byte[] original = mail().to(external).attach("report.xlsx", file).build();

        Reply reply = GatewayTestSupport.send(listener, "", List.of(external), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        byte[] copy = nextHop.rawFor(external).getFirst();
        assertThat(TestMails.allText(NextHopCapture.parse(copy))).contains(PUBLIC_URL + "/d/");
        assertThat(new String(copy, StandardCharsets.ISO_8859_1))
                .doesNotContain(Base64.getMimeEncoder().encodeToString(file).substring(0, 64));
        assertThat(nextHop.count()).isEqualTo(1);
    }
}
