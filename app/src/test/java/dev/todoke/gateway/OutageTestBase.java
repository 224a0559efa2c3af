package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.testkit.Components;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the outage tests (OutageGatewayTest, DiskFullGatewayTest; issue 14 item 4) share: a message to a
 * colleague and a partner sent during an outage must get 451 and reach no one; sent again after recovery,
 * as the client's retry does, it is accepted and relayed once to everyone. Each test class runs on a
 * PostgreSQL schema of its own, so that it can count what the purger knows.
 */
abstract class OutageTestBase extends GatewayTestBase {

    /** The next hop of the subclass's context. */
    abstract NextHopCapture nextHop();

    /** A fresh schema in the test PostgreSQL, reached on {@code port} (the server or a proxy in front of it). */
    static String freshSchema(DynamicPropertyRegistry registry, String prefix, IntSupplier port) {
        String url = Components.requirePostgres();
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        jdbc(url).sql("create schema " + schema).update();
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + port.getAsInt() + "/test?currentSchema=" + schema
                        + "&connectTimeout=2&socketTimeout=10");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "1000");
        return schema;
    }

    static void dropSchema(String schema) {
        if (schema != null) {
            String url = System.getProperty("todoke.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
            jdbc(url).sql("drop schema if exists " + schema + " cascade").update();
        }
    }

    private static JdbcClient jdbc(String url) {
        return JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));
    }

    Reply send(byte[] message) throws Exception {
        return GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), message);
    }

    static byte[] message(String subject, int seed) throws Exception {
        return mail().to(COLLEAGUE, ALICE)
                .subject(subject)
                .attach("outage.pdf", randomBytes(200_000, seed))
                .build();
    }

    /** A fault that {@link #sendDuring} starts before the message and ends (recovery) after its reply. */
    interface Outage {
        void start() throws Exception;

        void recover() throws Exception;
    }

    /**
     * Sends {@code message} during {@code outage}, then recovers: the reply must be 451 and nothing may
     * have reached the next hop.
     */
    Reply refusedDuring(Outage outage, byte[] message) throws Exception {
        nextHop().reset();
        outage.start();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            outage.recover();
        }
        assertThat(reply.code()).as(reply.text()).isEqualTo(451);
        assertThat(nextHop().count()).isZero();
        return reply;
    }

    /**
     * Accepted after recovery: the colleague gets the original, the partner a copy, the sender a receipt.
     * The retry comes a second after the recovery, not at once: an MTA retries minutes later (Postfix's
     * {@code minimal_backoff_time} is 300 s), and HikariCP hands out a pooled connection used in the last
     * 500 ms without checking it, so a retry within that window may get a connection that died with the
     * outage, and a 451 that no real retry would see (this failed in about one run of four).
     */
    void assertRetrySucceeds(byte[] message) throws Exception {
        Thread.sleep(1_000);
        nextHop().reset();
        Reply retried = send(message);
        assertThat(retried.code()).as(retried.text()).isEqualTo(250);
        assertThat(nextHop().rawFor(COLLEAGUE)).singleElement().isEqualTo(message);
        assertThat(nextHop().messagesFor(ALICE)).hasSize(1);
        assertThat(nextHop().messagesFor(SENDER)).hasSize(1);
    }

    /**
     * Files under {@code blobDir} (the S3 server's directory, or the filesystem store's) beyond the blobs
     * that a stored file, the copy tokens kept for a retry ({@code copy_retry}, purged with their message)
     * or the purger's orphan list knows: what nothing would ever clean (at most 0).
     */
    long unknownBlobs(Path blobDir) throws IOException {
        long files;
        try (Stream<Path> walk = Files.walk(blobDir)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        long known = jdbc.sql(
                        "select count(*) from (select blob_key from stored_file union select blob_key"
                                + " from orphan_blob union select context_blob from copy_retry where context_blob is not null) k")
                .query(Long.class)
                .single();
        return files - known;
    }
}
