package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.relay.CaptureServer;
import dev.todoke.transfer.TransferCleanup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One copy per recipient across the upstream MTA's retries (issue 14 item 3, ADR 0150), over real SMTP on
 * both sides: the next hop accepts some copies of a mail and then fails, the client gets 451 and sends
 * the same mail again (with its recipients in another order, as Postfix may group them otherwise); the
 * retry delivers only the copies not accepted before, with the links of the first attempt, which keep
 * working, and one receipt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CopyRetryGatewayTest extends GatewayTestBase {

    static final String BOB = "bob@other.example";

    @TempDir
    static Path dataDir;

    static final CaptureServer nextHop = new CaptureServer(null, null, null);

    @LocalServerPort
    int webPort;

    @Autowired
    TransferCleanup cleanup;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    @AfterAll
    static void stopNextHop() {
        nextHop.close();
    }

    @BeforeEach
    void acceptEverything() {
        nextHop.messages.clear();
        nextHop.replyToRecipients(r -> 0);
    }

    @Test
    void processWhenNextHopFailsAfterSomeCopiesThenRetrySendsOnlyTheRestWithTheSameLinksAndOneReceipt()
            throws Exception {
        byte[] raw = mail().to(COLLEAGUE, ALICE, BOB)
                .subject("retried after a half-way failure")
                .attach("plan.pdf", randomBytes(20_000, 3))
                .build();
        nextHop.replyToRecipients(r -> r.equals(BOB) ? 451 : 0);

        Reply first = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, ALICE, BOB), raw);

        assertThat(first.code()).as(first.text()).isEqualTo(451);
        assertThat(to(COLLEAGUE)).as("the original to the internal recipient").hasSize(1);
        assertThat(to(ALICE)).hasSize(1);
        assertThat(to(BOB)).isEmpty();
        assertThat(to(SENDER)).as("no receipt yet").isEmpty();
        String aliceLink = link(to(ALICE).getFirst());
        assertThat(download(aliceLink)).as("the first attempt's link works").isEqualTo(200);
        assertThat(download("n".repeat(43))).as("an unknown link does not").isEqualTo(404);
        assertThat(state()).as("kept for the retry, not failed").isEqualTo("pending");
        assertThat(cleanup.abandoned(Instant.now().plus(365, ChronoUnit.DAYS), 100))
                .as("never purged as abandoned: its link reached someone")
                .isEmpty();

        nextHop.replyToRecipients(r -> 0);
        Reply retry = GatewayTestSupport.send(listener, SENDER, List.of(BOB, ALICE, COLLEAGUE), raw);

        assertThat(retry.code()).as(retry.text()).isEqualTo(250);
        assertThat(to(COLLEAGUE)).as("no second original").hasSize(1);
        assertThat(to(ALICE)).as("no second notice").hasSize(1);
        assertThat(to(BOB)).hasSize(1);
        assertThat(to(SENDER)).as("one receipt").hasSize(1);
        String receipt = new String(to(SENDER).getFirst().bytes(), StandardCharsets.UTF_8);
        assertThat(receipt).contains("X-Todoke-Kind: receipt");
        assertThat(jdbc.sql("select count(*) from message where subject = 'retried after a half-way failure'")
                        .query(Long.class)
                        .single())
                .as("the retry went on with the first attempt's message")
                .isEqualTo(1);
        assertThat(state()).isEqualTo("relayed");
        assertThat(download(aliceLink)).as("the first link still works").isEqualTo(200);
        assertThat(download(link(to(BOB).getFirst()))).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from copy_retry where context is not null or context_blob is not null")
                        .query(Long.class)
                        .single())
                .as("the tokens kept for the retry are gone")
                .isZero();

        Reply again = GatewayTestSupport.send(listener, SENDER, List.of(BOB, ALICE, COLLEAGUE), raw);

        assertThat(again.code()).isEqualTo(250);
        assertThat(nextHop.messages)
                .as("a retry after the whole mail went out sends nothing")
                .hasSize(4);
    }

    @Test
    void processWhenNextHopFailsOnTheFirstCopyThenAttemptFailedAndRetryStartsAfresh() throws Exception {
        byte[] raw = mail().to(ALICE)
                .subject("nothing went out")
                .attach("a.pdf", randomBytes(1_000, 4))
                .build();
        nextHop.replyToRecipients(r -> 451);

        Reply first = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), raw);

        assertThat(first.code()).isEqualTo(451);
        nextHop.replyToRecipients(r -> 0);
        Reply retry = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), raw);

        assertThat(retry.code()).isEqualTo(250);
        assertThat(to(ALICE)).hasSize(1);
        assertThat(jdbc.sql("select state from message where subject = 'nothing went out' order by created_at")
                        .query(String.class)
                        .list())
                .as("the first attempt reached nobody: failed, for the purger")
                .containsExactly("failed", "relayed");
    }

    private List<CaptureServer.Captured> to(String recipient) {
        return nextHop.messages.stream()
                .filter(c -> c.recipients().contains(recipient))
                .toList();
    }

    private String state() {
        return jdbc.sql("select state from message where subject = 'retried after a half-way failure'")
                .query(String.class)
                .single();
    }

    private static String link(CaptureServer.Captured copy) throws Exception {
        return CopyKillTest.link(copy);
    }

    private int download(String token) throws Exception {
        return CopyKillTest.download(webPort, token);
    }
}
