package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.inspection.PpapSamples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password-protected files over real SMTP with {@code todoke.inspection.encrypted-files=refuse}: an
 * encrypted ZIP is answered 554 5.7.1 in ASCII, nothing is relayed or stored; the same mail with the
 * ZIP unencrypted goes through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InspectionRefuseGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.inspection.encrypted-files", () -> "refuse");
    }

    @Test
    void processWhenEncryptedZipAndRefuseThen554AndNothingRelayedOrStored() throws Exception {
        byte[] original =
                mail().to(ALICE).attach("見積書.zip", PpapSamples.zip(true)).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.text())
                .contains("5.7.1 Password-protected file 1 refused")
                .doesNotContain("見積書");
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select count(*) from message").query(Integer.class).single())
                .isZero();

        byte[] plain =
                mail().to(ALICE).attach("見積書.zip", PpapSamples.zip(false)).build();
        Reply accepted = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), plain);
        assertThat(accepted.code()).as(accepted.text()).isEqualTo(250);
    }
}
