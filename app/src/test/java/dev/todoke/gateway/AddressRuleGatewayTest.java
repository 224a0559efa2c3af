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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The address rule over real SMTP: a recipient in an internal domain whose local part may route elsewhere
 * ({@code @}, {@code %}, {@code !}) is external: it gets a copy with a link, never the file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AddressRuleGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    @BeforeEach
    void reset() {
        nextHop.reset();
    }

    @AfterAll
    static void stopNextHop() {
        nextHop.stop();
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
}
