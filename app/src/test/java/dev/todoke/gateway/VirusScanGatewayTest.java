package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.testkit.ClamdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The virus scan over real SMTP with a real clamd (own signatures; 1 MB per stream, 512 KB per file),
 * fail closed and {@code oversize=refuse} (the defaults): an infected file is refused 554 5.7.1 and
 * nothing is stored or relayed, on the rewritten path and for internal-only mail; a clean file goes
 * through; clamd stopped gives 451, and the same mail goes through once clamd is back; a file beyond
 * clamd's limits is refused 554 5.3.4.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VirusScanGatewayTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @RegisterExtension
    static final ClamdServer clamd =
            new ClamdServer().with("StreamMaxLength", "1M").with("MaxFileSize", "512K");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.clamav.enabled", () -> "true");
        registry.add("todoke.clamav.port", clamd::port);
        registry.add("todoke.clamav.timeout", () -> "5s");
    }

    @LocalServerPort
    int webPort;

    private long rows(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private List<String> audited(String kind) {
        return jdbc.sql("select detail from audit_event where kind = ? order by id")
                .param(kind)
                .query(String.class)
                .list();
    }

    /** Stored blob files (everything in the data directory but the database, the spool and the keys). */
    private long blobFiles() throws IOException {
        Path blobs = dataDir.resolve("blobs");
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void helpPageWhenRequestedThenExplainsInJapaneseAndEnglish() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/help/virus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("ウイルスが見つかりました").contains("A virus was found in your mail");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void processWhenInfectedFileThen554AndNothingStoredOrRelayed() throws Exception {
        long messages = rows("message");
        long blobs = blobFiles();
        byte[] original = mail().to(COLLEAGUE, ALICE)
                .subject("invoice")
                .attach("notes.txt", "plain text".getBytes(StandardCharsets.US_ASCII))
                .attach("請求書.pdf.exe", ClamdServer.eicar())
                .build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(554);
        assertThat(reply.text())
                .startsWith("5.7.1 Virus found in attachment 2: " + ClamdServer.EICAR_SIGNATURE)
                .contains(PUBLIC_URL + "/help/virus")
                .doesNotContain("請求書");
        assertThat(nextHop.count()).isZero();
        assertThat(rows("message")).isEqualTo(messages);
        assertThat(blobFiles()).isEqualTo(blobs);
        assertThat(audited("virus-found")).contains(ClamdServer.EICAR_SIGNATURE + ".UNOFFICIAL in attachment 2");
        assertThat(audited("mail-refused")).anyMatch(line -> line.startsWith("554 5.7.1 Virus found"));
    }

    @Test
    void processWhenInfectedFileToInternalRecipientOnlyThen554() throws Exception {
        byte[] original = mail().to(COLLEAGUE)
                .attach("payload.bin", ClamdServer.infectedPayload())
                .build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(554);
        assertThat(reply.text())
                .startsWith("5.7.1 Virus found in attachment 1 (payload.bin): " + ClamdServer.PAYLOAD_SIGNATURE);
        assertThat(nextHop.count()).isZero();
    }

    @Test
    void processWhenCleanFileThenRelayedAndStored() throws Exception {
        long messages = rows("message");
        byte[] original = mail().to(COLLEAGUE, ALICE)
                .attach("見積書.pdf", "%PDF-1.4 harmless".getBytes(StandardCharsets.US_ASCII))
                .build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(rows("message")).isEqualTo(messages + 1);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(ALICE)).hasSize(1);
    }

    @Test
    void processWhenClamdStoppedThen451AndAfterItIsBackThe250() throws Exception {
        long messages = rows("message");
        byte[] original = mail().to(ALICE)
                .subject("while clamd is away")
                .attach("report.pdf", "%PDF-1.4 harmless".getBytes(StandardCharsets.US_ASCII))
                .build();
        Reply reply;
        clamd.stop();
        try {
            reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);
        } finally {
            clamd.start();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.3.0 Virus scan unavailable, try again later");
        assertThat(nextHop.count()).isZero();
        assertThat(rows("message")).isEqualTo(messages);

        Reply retry = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(retry.code()).as(retry.text()).isEqualTo(250);
        assertThat(rows("message")).isEqualTo(messages + 1);
        assertThat(nextHop.rawFor(ALICE)).hasSize(1);
    }

    @Test
    void processWhenFileBeyondClamdLimitsAndOversizeRefuseThen554() throws Exception {
        byte[] big = new byte[700_000];
        new Random(5).nextBytes(big);
        byte[] original = mail().to(ALICE).attach("big.bin", big).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(554);
        assertThat(reply.text()).startsWith("5.3.4 Virus scan: attachment 1 (big.bin) is too large to be scanned");
        assertThat(nextHop.count()).isZero();
        assertThat(audited("virus-scan-oversize")).anyMatch(d -> d.endsWith(", refused"));
    }
}
