package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.storage.S3ProxyServer;
import dev.todoke.testkit.Components;
import dev.todoke.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
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
class OutageGatewayTest extends GatewayTestBase {

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
    static final String SCHEMA = "outage_" + UUID.randomUUID().toString().replace("-", "");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String url = Components.requirePostgres();
        JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""))
                .sql("create schema " + SCHEMA)
                .update();
        s3 = S3ProxyServer.onDisk(s3Dir);
        java.net.URI endpoint = java.net.URI.create(s3.endpoint());
        s3Proxy = new TcpProxy(endpoint.getHost(), endpoint.getPort());
        dbProxy = new TcpProxy("127.0.0.1", 5432);
        hopProxy = new TcpProxy("127.0.0.1", nextHop.port());

        GatewayTestSupport.gatewayProperties(registry, dataDir, hopProxy::port);
        registry.add("todoke.relay.connect-timeout", () -> "2s");
        registry.add("todoke.relay.command-timeout", () -> "3s");
        registry.add("todoke.relay.data-timeout", () -> "3s");
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + dbProxy.port() + "/test?currentSchema=" + SCHEMA
                        + "&connectTimeout=2&socketTimeout=10");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "1000");
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
        String url = System.getProperty("todoke.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
        JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""))
                .sql("drop schema if exists " + SCHEMA + " cascade")
                .update();
    }

    Reply send(byte[] message) throws Exception {
        return GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), message);
    }

    byte[] message(String subject, int seed) throws Exception {
        return mail().to(COLLEAGUE, ALICE)
                .subject(subject)
                .attach("outage.pdf", randomBytes(200_000, seed))
                .build();
    }

    /** Accepted after recovery: the colleague gets the original, the partner a copy, the sender a receipt. */
    void assertRetrySucceeds(byte[] message) throws Exception {
        nextHop.reset();
        Reply retried = send(message);
        assertThat(retried.code()).as(retried.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(message);
        assertThat(nextHop.messagesFor(ALICE)).hasSize(1);
        assertThat(nextHop.messagesFor(SENDER)).hasSize(1);
    }

    /**
     * Objects in the S3 bucket that neither a stored file, the copy tokens kept for a retry ({@code
     * copy_retry}, purged with their message) nor the purger's orphan list knows.
     */
    long unknownObjects() throws IOException {
        long objects;
        try (Stream<Path> files = Files.walk(s3Dir)) {
            objects = files.filter(Files::isRegularFile).count();
        }
        long known = jdbc.sql(
                        "select count(*) from (select blob_key from stored_file union select blob_key"
                                + " from orphan_blob union select context_blob from copy_retry where context_blob is not null) k")
                .query(Long.class)
                .single();
        return objects - known;
    }

    @Test
    @Order(1)
    void processWhenNextHopStallsThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("next hop stalls", 1);
        hopProxy.stall();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            hopProxy.restore();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(nextHop.count()).isZero();
        assertRetrySucceeds(message);
    }

    @Test
    @Order(2)
    void processWhenNextHopRefusesThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("next hop refuses", 2);
        hopProxy.cut();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            hopProxy.restore();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(nextHop.count()).isZero();
        assertRetrySucceeds(message);
    }

    @Test
    @Order(3)
    void processWhenS3CutThen451NoUnknownObjectAndRetryAfterRecoveryStores() throws Exception {
        byte[] message = message("s3 cut", 3);
        s3Proxy.cut();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            s3Proxy.restore();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.3.0 Storage unavailable, try again later");
        assertThat(nextHop.count()).isZero();
        assertThat(unknownObjects()).isLessThanOrEqualTo(0);
        assertRetrySucceeds(message);
        assertThat(unknownObjects()).isLessThanOrEqualTo(0);
    }

    @Test
    @Order(4)
    void processWhenPostgresCutThen451AndRetryAfterRecoveryRelays() throws Exception {
        byte[] message = message("postgres cut", 4);
        dbProxy.cut();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            dbProxy.restore();
        }

        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(nextHop.count()).isZero();
        assertRetrySucceeds(message);
        assertThat(unknownObjects()).isLessThanOrEqualTo(0);
    }
}
