package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.GatewayTestSupport.blobSha256;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static dev.todoke.gateway.TestMails.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.storage.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole flow with attachments stored in S3 (the in-process S3Proxy), and what happens when that S3
 * server stops: 451, nothing relayed, nothing recorded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayS3Test extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final NextHopCapture nextHop = new NextHopCapture();

    static final S3ProxyServer s3 = S3ProxyServer.inMemory();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.storage.s3.endpoint", s3::endpoint);
        registry.add("todoke.storage.s3.bucket", () -> "gateway-test");
        registry.add("todoke.storage.s3.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("todoke.storage.s3.secret-key", () -> S3ProxyServer.SECRET_KEY);
        registry.add("todoke.storage.warm-up", () -> "0");
        registry.add("todoke.storage.keys.primary", () -> "k1");
        registry.add("todoke.storage.keys.kek[0].id", () -> "k1");
        registry.add(
                "todoke.storage.keys.kek[0].key",
                () -> java.util.Base64.getEncoder().encodeToString(randomBytes(32, 99)));
    }

    Reply send(byte[] message) throws Exception {
        return GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), message);
    }

    @Test
    @Order(1)
    void processWhenStoreIsS3ThenFilesInS3DecryptToOriginalAndCopiesRelayed() throws Exception {
        byte[] file = randomBytes(6 * 1024 * 1024, 11);
        byte[] original = mail().to(COLLEAGUE, ALICE)
                .subject("s3 flow")
                .attach("設計書.pdf", file)
                .build();

        Reply reply = send(original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        String copy = TestMails.allText(nextHop.messagesFor(ALICE).get(0));
        assertThat(copy).contains("設計書.pdf").containsPattern(GatewayFlowTest.DOWNLOAD_LINK);
        assertThat(nextHop.messagesFor(SENDER)).hasSize(1);
        Map<String, Object> stored = jdbc.sql("select f.sha256, f.blob_key, f.size from stored_file f"
                        + " join message m on m.id = f.message_id where m.subject = 's3 flow' and m.state = 'relayed'")
                .query()
                .singleRow();
        assertThat(stored).containsEntry("sha256", sha256(file)).containsEntry("size", (long) file.length);
        assertThat(blobSha256(blobStore, stored.get("blob_key"))).isEqualTo(sha256(file));
    }

    @Test
    @Order(2)
    void processWhenS3StoppedThen451NothingRelayedNothingRecorded() throws Exception {
        byte[] original = mail().to(COLLEAGUE, ALICE)
                .subject("s3 down")
                .attach("a.pdf", randomBytes(50_000, 12))
                .build();
        s3.close();

        Reply reply = send(original);

        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.3.0 Storage unavailable, try again later");
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select count(*) from message where subject = 's3 down'")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
