package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.GatewayTestSupport.blobSha256;
import static dev.todoke.gateway.TestMails.leaves;
import static dev.todoke.gateway.TestMails.mail;
import static dev.todoke.gateway.TestMails.randomBytes;
import static dev.todoke.gateway.TestMails.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.gateway.TestMails.Leaf;
import dev.todoke.link.LinkTokens;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole gateway over real SMTP on both sides: a client sends to the running listener, GreenMail
 * captures what the next hop receives, the files are read back through the application's blob store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayFlowTest extends GatewayTestBase {

    static final String BOB = "bob@other.example";
    static final Pattern DOWNLOAD_LINK = Pattern.compile("https://files\\.example\\.jp/d/([A-Za-z0-9_-]{43})");
    static final Pattern MANAGE_LINK = Pattern.compile("https://files\\.example\\.jp/s/([A-Za-z0-9_-]{43})");

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final NextHopCapture nextHop = new NextHopCapture();

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    Reply send(String from, List<String> recipients, byte[] message) throws Exception {
        return GatewayTestSupport.send(listener, from, recipients, message);
    }

    static String header(MimeMessage message, String name) throws Exception {
        return message.getHeader(name, "\n");
    }

    @Test
    void processWhenAttachmentsToInternalAndExternalRecipientsThenLinksCopiesReceiptRowsAndBlobs() throws Exception {
        byte[] quotation = randomBytes(300_000, 1);
        byte[] csv = "品番,数量\r\nA-1,3\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] original = mail().to(COLLEAGUE, ALICE)
                .cc(BOB)
                .attach("御見積書_2026年11月.pdf", quotation)
                .attach("data.csv", csv)
                .build();

        Reply reply = send(SENDER, List.of(COLLEAGUE, ALICE, BOB), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);

        // the internal recipient: the original, byte for byte
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);

        // each external recipient: no attachment, the notice with a link of their own
        MimeMessage originalParsed = NextHopCapture.parse(original);
        Set<String> tokens = new HashSet<>();
        for (String recipient : List.of(ALICE, BOB)) {
            MimeMessage copy = nextHop.messagesFor(recipient).get(0);
            assertThat(nextHop.rawFor(recipient)).hasSize(1);
            for (String name : List.of("Subject", "From", "To", "Cc", "Date", "Message-ID")) {
                assertThat(header(copy, name)).as(name).isEqualTo(header(originalParsed, name));
            }
            assertThat(header(copy, "X-Todoke-Kind")).isEqualTo("notice");
            List<Leaf> parts = leaves(copy);
            assertThat(parts).noneMatch(p -> p.fileName() != null || "attachment".equalsIgnoreCase(p.disposition()));
            Set<String> hashes = new HashSet<>();
            for (Leaf leaf : parts) {
                hashes.add(sha256(leaf.content()));
            }
            assertThat(hashes).doesNotContain(sha256(quotation), sha256(csv));
            String text = TestMails.allText(copy);
            assertThat(text)
                    .contains("いつもお世話になっております。")
                    .contains("御見積書_2026年11月.pdf")
                    .contains("data.csv")
                    .contains("293.0 KB")
                    .contains("パスワードは別送しません")
                    .contains("No password will follow in a separate mail")
                    .contains("Sender Name")
                    .contains("日本時間")
                    .contains("UTC");
            Matcher link = DOWNLOAD_LINK.matcher(text);
            assertThat(link.find())
                    .as("download link in " + recipient + "'s copy")
                    .isTrue();
            String token = link.group(1);
            tokens.add(token);
            assertThat(jdbc.sql("select recipient from link where token_hash = ?")
                            .param(LinkTokens.hash(token))
                            .query(String.class)
                            .single())
                    .isEqualTo(recipient);
        }
        assertThat(tokens).as("each external recipient has their own link").hasSize(2);

        // the receipt to the sender
        MimeMessage receipt = nextHop.messagesFor(SENDER).get(0);
        assertThat(header(receipt, "X-Todoke-Kind")).isEqualTo("receipt");
        String receiptText = TestMails.allText(receipt);
        assertThat(receiptText).contains(ALICE, BOB, COLLEAGUE, "御見積書_2026年11月.pdf", "data.csv");
        Matcher manage = MANAGE_LINK.matcher(receiptText);
        assertThat(manage.find()).isTrue();
        Map<String, Object> message = jdbc.sql(
                        "select id, state, envelope_from, subject from message where manage_token_hash = ?")
                .param(LinkTokens.hash(manage.group(1)))
                .query()
                .singleRow();
        assertThat(message)
                .containsEntry("state", "relayed")
                .containsEntry("envelope_from", SENDER)
                .containsEntry("subject", "見積書の送付 / Quotation");

        // the stored files decrypt to the original bytes
        List<Map<String, Object>> files = jdbc.sql(
                        "select name, size, sha256, blob_key from stored_file where message_id = ? order by ordinal")
                .param(message.get("id"))
                .query()
                .listOfRows();
        assertThat(files).hasSize(2);
        assertThat(files.get(0)).containsEntry("name", "御見積書_2026年11月.pdf").containsEntry("size", 300_000L);
        assertThat(files.get(0).get("sha256")).isEqualTo(sha256(quotation));
        assertThat(files.get(1)).containsEntry("name", "data.csv").containsEntry("sha256", sha256(csv));
        for (Map<String, Object> file : files) {
            assertThat(blobSha256(blobStore, file.get("blob_key"))).isEqualTo(file.get("sha256"));
        }
        assertThat(nextHop.count()).isEqualTo(4);
    }

    @Test
    void processWhenALargeAttachmentThenStoredWhileDataArrivedAdoptedAndNothingLeftOver() throws Exception {
        byte[] large = randomBytes(7_000_000, 5); // 9.5 MB of base64: past the 8 MiB from which the spool is watched
        byte[] small = randomBytes(20_000, 6);
        byte[] original = mail().to(ALICE)
                .attach("large.bin", large)
                .attach("small.bin", small)
                .build();
        double adoptedBefore = earlyBlobs("adopted");
        long blobsBefore = blobFiles();

        Reply reply = send(SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(earlyBlobs("adopted") - adoptedBefore).isEqualTo(1.0);
        assertThat(blobFiles() - blobsBefore)
                .as("one blob per file: the early one adopted, none left over")
                .isEqualTo(2);
        Matcher link = DOWNLOAD_LINK.matcher(
                TestMails.allText(nextHop.messagesFor(ALICE).getLast()));
        assertThat(link.find()).isTrue();
        List<Map<String, Object>> files = jdbc.sql("select f.name, f.sha256, f.blob_key from stored_file f"
                        + " join link l on l.message_id = f.message_id where l.token_hash = ? order by f.ordinal")
                .param(LinkTokens.hash(link.group(1)))
                .query()
                .listOfRows();
        assertThat(files).extracting(f -> f.get("name")).containsExactly("large.bin", "small.bin");
        assertThat(files.get(0).get("sha256")).isEqualTo(sha256(large));
        assertThat(blobSha256(blobStore, files.get(0).get("blob_key"))).isEqualTo(sha256(large));
        assertThat(blobSha256(blobStore, files.get(1).get("blob_key"))).isEqualTo(sha256(small));
    }

    private double earlyBlobs(String outcome) {
        return meters.get("todoke.gateway.early.blobs")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private long blobFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void processWhenNoAttachmentsThenOriginalToEveryoneAndNoReceipt() throws Exception {
        byte[] original = mail().to(COLLEAGUE, ALICE).build();
        long messages =
                jdbc.sql("select count(*) from message").query(Long.class).single();

        Reply reply = send(SENDER, List.of(COLLEAGUE, ALICE), original);

        assertThat(reply.code()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(ALICE)).singleElement().isEqualTo(original);
        assertThat(nextHop.rawFor(SENDER)).isEmpty();
        assertThat(jdbc.sql("select count(*) from message").query(Long.class).single())
                .isEqualTo(messages);
    }

    @Test
    void processWhenOnlyInternalRecipientsThenOriginalWithAttachments() throws Exception {
        byte[] original =
                mail().to(COLLEAGUE).attach("a.pdf", randomBytes(1000, 2)).build();

        Reply reply = send(SENDER, List.of(COLLEAGUE), original);

        assertThat(reply.code()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(original);
        assertThat(nextHop.count()).isEqualTo(1);
    }

    @Test
    void processWhenSameTransactionRetriedAfterSuccessThen250WithoutSecondCopiesOrReceipt() throws Exception {
        byte[] original =
                mail().to(ALICE).attach("retry.pdf", randomBytes(5000, 3)).build();
        assertThat(send(SENDER, List.of(ALICE), original).code()).isEqualTo(250);
        assertThat(nextHop.count()).isEqualTo(2);

        Reply retry = send(SENDER, List.of(ALICE), original);

        assertThat(retry.code()).isEqualTo(250);
        assertThat(nextHop.count()).isEqualTo(2);
    }

    static byte[] deeplyNested(int depth) {
        StringBuilder nested = new StringBuilder(
                "From: sender@example.jp\r\nTo: alice@partner.example\r\n" + "Subject: deep\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            nested.append("Content-Type: multipart/mixed; boundary=\"b")
                    .append(i)
                    .append("\"\r\n\r\n--b")
                    .append(i)
                    .append("\r\n");
        }
        nested.append("Content-Type: text/plain\r\n\r\nhello\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            nested.append("--b").append(i).append("--\r\n");
        }
        return nested.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void processWhenMimeTooDeepButOnlyInternalRecipientsThenRelayedUnchanged() throws Exception {
        byte[] deep = deeplyNested(30);

        Reply reply = send(SENDER, List.of(COLLEAGUE), deep);

        assertThat(reply.code()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE)).singleElement().isEqualTo(deep);
    }

    @Test
    void processWhenMimeTooDeepThen554AndAudited() throws Exception {
        byte[] deep = deeplyNested(30);
        long audits = jdbc.sql("select count(*) from audit_event where kind = 'mail-refused'")
                .query(Long.class)
                .single();

        Reply reply = send(SENDER, List.of(ALICE), deep);

        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.text()).startsWith("5.6.0 Message refused: Todoke cannot process it safely (");
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select count(*) from audit_event where kind = 'mail-refused'")
                        .query(Long.class)
                        .single())
                .isEqualTo(audits + 1);
    }

    @Test
    void processWhenMailCarriesValidSealThenPassesUnchanged() throws Exception {
        byte[] first = mail().to(ALICE).attach("x.pdf", randomBytes(2000, 4)).build();
        assertThat(send(SENDER, List.of(ALICE), first).code()).isEqualTo(250);
        byte[] sealedCopy = nextHop.rawFor(ALICE).get(0);
        nextHop.reset();
        long messages =
                jdbc.sql("select count(*) from message").query(Long.class).single();

        Reply reply = send(SENDER, List.of(BOB), sealedCopy);

        assertThat(reply.code()).isEqualTo(250);
        assertThat(nextHop.rawFor(BOB)).singleElement().isEqualTo(sealedCopy);
        assertThat(nextHop.rawFor(SENDER)).as("no receipt").isEmpty();
        assertThat(jdbc.sql("select count(*) from message").query(Long.class).single())
                .isEqualTo(messages);
    }

    @Test
    void processWhenSealForgedOrCopiedFromAnotherMailThenProcessedAndForgedHeadersDropped() throws Exception {
        assertThat(send(
                                SENDER,
                                List.of(ALICE),
                                mail().to(ALICE)
                                        .attach("x.pdf", randomBytes(2000, 5))
                                        .build())
                        .code())
                .isEqualTo(250);
        MimeMessage receipt = nextHop.messagesFor(SENDER).get(0);
        String copiedSeal = header(receipt, "X-Todoke-Seal");
        nextHop.reset();
        byte[] attachment = randomBytes(4000, 6);
        byte[] forged = mail().to(BOB)
                .header("X-Todoke-Seal: " + copiedSeal)
                .header("X-Todoke-Kind: receipt")
                .header("X-Todoke-Bypass: yes")
                .attach("secret.pdf", attachment)
                .build();

        Reply reply = send(SENDER, List.of(BOB), forged);

        assertThat(reply.code()).isEqualTo(250);
        MimeMessage copy = nextHop.messagesFor(BOB).get(0);
        assertThat(leaves(copy)).noneMatch(leaf -> leaf.fileName() != null);
        assertThat(copy.getHeader("X-Todoke-Kind")).containsExactly("notice");
        assertThat(copy.getHeader("X-Todoke-Seal")).singleElement().isNotEqualTo(copiedSeal);
        assertThat(copy.getHeader("X-Todoke-Bypass")).isNull();
        assertThat(TestMails.allText(copy)).contains("secret.pdf");
    }
}
