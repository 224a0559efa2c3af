package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.testkit.ClamdServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The virus scan's two lenient settings over real SMTP: {@code todoke.clamav.oversize=pass} lets a file
 * beyond clamd's limits through (stored, audited), and {@code todoke.clamav.fail-open=true} lets mail
 * through while clamd is stopped (audited), though an infected file is still refused while clamd runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VirusScanPassGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @RegisterExtension
    static final ClamdServer clamd = new ClamdServer().with("StreamMaxLength", "1M");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.clamav.enabled", () -> "true");
        registry.add("todoke.clamav.port", clamd::port);
        registry.add("todoke.clamav.timeout", () -> "5s");
        registry.add("todoke.clamav.oversize", () -> "pass");
        registry.add("todoke.clamav.fail-open", () -> "true");
    }

    private List<String> audited(String kind) {
        return jdbc.sql("select detail from audit_event where kind = ? order by id")
                .param(kind)
                .query(String.class)
                .list();
    }

    @Test
    void processWhenFileBeyondStreamLimitAndOversizePassThenStoredAndAudited() throws Exception {
        byte[] big = new byte[2_000_000];
        new Random(6).nextBytes(big);
        byte[] original = mail().to(ALICE).attach("big.bin", big).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(jdbc.sql("select size from stored_file where name = 'big.bin'")
                        .query(Long.class)
                        .list())
                .containsExactly(2_000_000L);
        assertThat(audited("virus-scan-oversize")).contains("attachment 1 too large for clamd, passed");
    }

    @Test
    void processWhenClamdStoppedAndFailOpenThenPassedAndAudited() throws Exception {
        byte[] infected =
                mail().to(ALICE).attach("eicar.com", ClamdServer.eicar()).build();
        assertThat(GatewayTestSupport.send(listener, SENDER, List.of(ALICE), infected)
                        .code())
                .as("while clamd runs, fail-open changes nothing")
                .isEqualTo(554);

        byte[] original = mail().to(ALICE)
                .subject("clamd away, fail open")
                .attach("a.pdf", new byte[] {1, 2, 3})
                .build();
        Reply reply;
        clamd.stop();
        try {
            reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);
        } finally {
            clamd.start();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(audited("virus-scan-failed-open")).hasSize(1);
    }
}
