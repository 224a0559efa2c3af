package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Never lose mail: with the next hop stopped or the database refusing, the client gets 451, nothing
 * reaches anyone, and what the attempt wrote is marked for the purger. (Storage failing: {@link
 * GatewayS3Test}, with the S3 server stopped.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayFailureTest extends GatewayTestBase {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final NextHopCapture nextHop = new NextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.relay.connect-timeout", () -> "2s");
    }

    Reply send(byte[] message) throws Exception {
        return GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE), message);
    }

    /** Files outside the database and the spool: the keys and the stored blobs. */
    long storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(dataDir.resolve("db")) && !f.startsWith(dataDir.resolve("spool")))
                    .count();
        }
    }

    @Test
    void processWhenNextHopStoppedThen451NothingRelayedAndMessageFailed() throws Exception {
        byte[] message = mail().to(COLLEAGUE, ALICE)
                .subject("next hop down")
                .attach("a.pdf", randomBytes(10_000, 7))
                .build();
        nextHop.stop();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            nextHop.start();
        }

        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.3.0 Next hop unavailable, try again later");
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select state from message where subject = 'next hop down'")
                        .query(String.class)
                        .single())
                .isEqualTo("failed");

        Reply retried = send(message);

        assertThat(retried.code()).as("the upstream retry succeeds").isEqualTo(250);
        assertThat(nextHop.count()).isEqualTo(3);
    }

    @Test
    void processWhenDatabaseRefusesThen451NothingRelayedAndBlobsRemoved() throws Exception {
        byte[] message = mail().to(COLLEAGUE, ALICE)
                .subject("database down")
                .attach("b.pdf", randomBytes(10_000, 8))
                .attach("c.pdf", randomBytes(10_000, 9))
                .build();
        long filesBefore = storedFiles();
        jdbc.sql("alter table link rename to link_away").update();
        Reply reply;
        try {
            reply = send(message);
        } finally {
            jdbc.sql("alter table link_away rename to link").update();
        }

        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.3.0 Database unavailable, try again later");
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select count(*) from message where subject = 'database down'")
                        .query(Long.class)
                        .single())
                .isZero();
        long orphans =
                jdbc.sql("select count(*) from orphan_blob").query(Long.class).single();
        assertThat(storedFiles() - orphans)
                .as("the blobs written before the failure are deleted (or recorded as orphans)")
                .isEqualTo(filesBefore);
    }
}
