package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.storage.S3ProxyServer;
import dev.todoke.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
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
 * Outages with the real components (issue 14 item 4; docs/gateway.md "Outages"): PostgreSQL, the S3
 * store (S3Proxy in-process) and the next hop each sit behind a {@link TcpProxy} that the test cuts or
 * stalls, without stopping the machine's PostgreSQL. During each outage the client gets 451, nothing
 * reaches anyone and nothing is lost (the client keeps the message); after recovery the same message,
 * sent again as the client's retry does, is accepted and relayed once to every recipient; what the failed
 * attempt stored is either gone or recorded for the purger.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageGatewayTest extends OutageTestBase {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path s3Dir;

    @RegisterExtension
    static final NextHopCapture nextHop = new NextHopCapture();

    static S3ProxyServer s3;
    static TcpProxy s3Proxy;
    static TcpProxy dbProxy;
    static TcpProxy hopProxy;
    static String schema;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        s3 = S3ProxyServer.onDisk(s3Dir);
        java.net.URI endpoint = java.net.URI.create(s3.endpoint());
        s3Proxy = new TcpProxy(endpoint.getHost(), endpoint.getPort());
        dbProxy = new TcpProxy("127.0.0.1", 5432);
        hopProxy = new TcpProxy("127.0.0.1", nextHop.port());
        schema = freshSchema(registry, "outage", dbProxy::port);

        GatewayTestSupport.gatewayProperties(registry, dataDir, hopProxy::port);
        registry.add("todoke.relay.connect-timeout", () -> "2s");
        registry.add("todoke.relay.command-timeout", () -> "3s");
        registry.add("todoke.relay.data-timeout", () -> "3s");
        registry.add("todoke.public-url", () -> PUBLIC_URL);
        registry.add("todoke.storage.s3.endpoint", () -> "http://127.0.0.1:" + s3Proxy.port());
        registry.add("todoke.storage.s3.bucket", () -> "outage-test");
        registry.add("todoke.storage.s3.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("todoke.storage.s3.secret-key", () -> S3ProxyServer.SECRET_KEY);
        registry.add("todoke.storage.warm-up", () -> "0");
        registry.add("todoke.storage.keys.primary", () -> "k1");
        registry.add("todoke.storage.keys.kek[0].id", () -> "k1");
        registry.add(
                "todoke.storage.keys.kek[0].key",
                () -> java.util.Base64.getEncoder().encodeToString(randomBytes(32, 99)));
    }

    @AfterAll
    static void tearDown() throws IOException {
        for (TcpProxy p : new TcpProxy[] {hopProxy, dbProxy, s3Proxy}) {
            if (p != null) {
                p.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
        dropSchema(schema);
    }

    @Override
    NextHopCapture nextHop() {
        return nextHop;
    }

    /** The proxy's server hangs ({@code stall}) or is down ({@code cut}) until recovery. */
    static Outage stalled(TcpProxy proxy) {
        return outage(proxy::stall, proxy);
    }

    static Outage cut(TcpProxy proxy) {
        return outage(proxy::cut, proxy);
    }

    private static Outage outage(Runnable start, TcpProxy proxy) {
        return new Outage() {
            @Override
            public void start() {
                start.run();
            }

            @Override
            public void recover() {
                proxy.restore();
            }
        };
    }

    @Test
    @Order(1)
    void processWhenNextHopStallsThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("next hop stalls", 1);
        refusedDuring(stalled(hopProxy), message);

        assertRetrySucceeds(message);
    }

    @Test
    @Order(2)
    void processWhenNextHopRefusesThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("next hop refuses", 2);
        refusedDuring(cut(hopProxy), message);

        assertRetrySucceeds(message);
    }

    @Test
    @Order(3)
    void processWhenS3CutThen451NoUnknownObjectAndRetryAfterRecoveryStores() throws Exception {
        byte[] message = message("s3 cut", 3);
        Reply reply = refusedDuring(cut(s3Proxy), message);

        assertThat(reply.text()).isEqualTo("4.3.0 Storage unavailable, try again later");
        assertThat(unknownBlobs(s3Dir)).isLessThanOrEqualTo(0);
        assertRetrySucceeds(message);
        assertThat(unknownBlobs(s3Dir)).isLessThanOrEqualTo(0);
    }

    @Test
    @Order(4)
    void processWhenPostgresCutThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("postgres cut", 4);
        refusedDuring(cut(dbProxy), message);

        assertRetrySucceeds(message);
        assertThat(unknownBlobs(s3Dir)).isLessThanOrEqualTo(0);
    }
}
