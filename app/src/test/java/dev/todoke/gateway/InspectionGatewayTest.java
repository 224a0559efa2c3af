package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.inspection.PpapSamples;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password-protected files over real SMTP with the default policy ({@code warn}): the mail goes out
 * with links as usual, and the sender's receipt names the encrypted ZIP and carries one {@code
 * X-Todoke-Finding: encrypted-file} header.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InspectionGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
    }

    @Test
    void processWhenEncryptedZipByDefaultThenLinkedAndReceiptWarns() throws Exception {
        byte[] original =
                mail().to(ALICE).attach("見積書.zip", PpapSamples.zip(true)).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(ALICE)).hasSize(1);
        MimeMessage receipt = NextHopCapture.parse(nextHop.rawFor(SENDER).getFirst());
        assertThat(receipt.getHeader("X-Todoke-Finding")).containsExactly("encrypted-file");
        assertThat(TestMails.allText(receipt)).contains("Password-protected files (PPAP)", "見積書.zip");
        assertThat(jdbc.sql("select count(*) from audit_event where kind = 'encrypted-file'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }
}
