package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.COLLEAGUE;
import static dev.todoke.gateway.GatewayTestSupport.PUBLIC_URL;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.GatewayTestSupport.blobSha256;
import static dev.todoke.gateway.TestMails.leaves;
import static dev.todoke.gateway.TestMails.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.gateway.TestMails.Leaf;
import dev.todoke.link.LinkTokens;
import dev.todoke.mime.AngusReference;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.Security;
import dev.todoke.testkit.Components;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every real message in ../shared/mime-samples goes through the gateway over SMTP to one internal and
 * one external recipient: it is either refused with a clear 5xx, or processed — the internal recipient
 * gets the original, every attachment is taken out of the external copy, every stored file is what
 * Angus Mail decodes from the original, every file Angus Mail sees as attached is stored under its name
 * and leaves no run of its bytes (decoded or encoded) in the external copy, every body text is still
 * there. None is lost (4xx), none crashes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewaySamplesTest extends GatewayTestBase {

    static final String EXTERNAL = "ext@partner.example";

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.public-url", () -> PUBLIC_URL);
    }

    private static final List<String> LENIENT = List.of(
            "mail.mime.base64.ignoreerrors",
            "mail.mime.uudecode.ignoreerrors",
            "mail.mime.uudecode.ignoremissingbeginend");

    /** Angus Mail reads broken base64 and uuencode leniently, as mail clients do (only during this class). */
    @BeforeAll
    static void lenientAngus() {
        LENIENT.forEach(p -> System.setProperty(p, "true"));
    }

    @AfterAll
    static void strictAngus() {
        LENIENT.forEach(System::clearProperty);
    }

    @TestFactory
    Stream<DynamicTest> processWhenRealSampleThenRefusedClearlyOrEveryAttachmentLinkedAndBodiesKept()
            throws IOException {
        Path samples = Components.requireShared().resolve("mime-samples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(samples)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getParent().equals(samples))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThan(100);
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(samples.relativize(f).toString(), () -> check(f)));
    }

    /** Files that are no RFC 5322 message (as the acceptance check skips them): Outlook .msg, ZIP, TNEF. */
    static boolean notAMail(byte[] raw) {
        byte[] head = java.util.Arrays.copyOf(raw, Math.min(raw.length, 2048));
        long nul = 0;
        for (byte b : head) {
            nul += b == 0 ? 1 : 0;
        }
        return raw.length == 0
                || startsWith(head, 0xd0, 0xcf, 0x11, 0xe0)
                || startsWith(head, 'P', 'K', 3, 4)
                || startsWith(head, 0x78, 0x9f, 0x3e, 0x22)
                || nul > 16;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void check(Path sample) throws Exception {
        byte[] original = Files.readAllBytes(sample);
        if (notAMail(original)) {
            System.out.println("skipped, not a mail: " + sample.getFileName());
            return;
        }
        byte[] expected = TestMails.asSent(original);
        nextHop.reset();
        long refusals = countAudit();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(COLLEAGUE, EXTERNAL), original);

        assertThat(reply.code() / 100)
                .as("reply %s: temporary failure means the mail was not taken", reply)
                .isNotEqualTo(4);
        if (reply.code() >= 500) {
            assertThat(reply.text()).as("a clear reason").matches("5\\.\\d\\.\\d .{10,}");
            System.out.println("refused: " + sample.getFileName() + ": " + reply);
            assertThat(nextHop.count()).isZero();
            if (reply.text().startsWith("5.6.0 Message refused: Todoke")) {
                assertThat(countAudit()).as("the gateway's refusal is audited").isEqualTo(refusals + 1);
            }
            return;
        }
        assertThat(reply.code()).isEqualTo(250);
        assertThat(nextHop.rawFor(COLLEAGUE))
                .as("internal copy")
                .singleElement()
                .isEqualTo(expected);
        List<byte[]> external = nextHop.rawFor(EXTERNAL);
        assertThat(external).hasSize(1);
        List<MimeMessage> receipts = nextHop.messagesFor(SENDER);
        if (receipts.isEmpty()) {
            // no attachments (or encrypted): relayed unchanged
            assertThat(external.get(0)).as("unchanged external copy").isEqualTo(expected);
            assertNoAttachmentPassedUnchanged(sample, expected);
            return;
        }
        Matcher manage = GatewayFlowTest.MANAGE_LINK.matcher(TestMails.allText(receipts.get(0)));
        assertThat(manage.find()).isTrue();
        Object messageId = jdbc.sql("select id from message where manage_token_hash = ?")
                .param(LinkTokens.hash(manage.group(1)))
                .query(java.util.UUID.class)
                .single();
        List<Map<String, Object>> stored = jdbc.sql("select name, size, sha256, blob_key from stored_file"
                        + " where message_id = ? order by ordinal")
                .param(messageId)
                .query()
                .listOfRows();
        assertThat(stored).isNotEmpty();

        MimeMessage originalParsed = NextHopCapture.parse(expected);
        List<Leaf> reference;
        try {
            reference = leaves(originalParsed);
        } catch (jakarta.mail.MessagingException angusRefuses) {
            // Angus Mail cannot read the original's structure: no reference to compare with; the blobs'
            // integrity and the notice are still checked
            System.out.println("note: Angus Mail refuses " + sample.getFileName() + ": " + angusRefuses);
            for (Map<String, Object> file : stored) {
                assertThat(blobSha256(blobStore, file.get("blob_key"))).isEqualTo(file.get("sha256"));
            }
            assertThat(TestMails.allText(NextHopCapture.parse(external.get(0)))).contains("パスワードは別送しません");
            return;
        }
        Set<String> originalLeaves = new HashSet<>();
        Set<String> brokenNames = new HashSet<>();
        for (Leaf leaf : reference) {
            if (leaf.broken() && leaf.fileName() != null) {
                brokenNames.add(leaf.fileName().replaceAll("\\p{Cntrl}", ""));
            }
            originalLeaves.add(sha256(leaf.content()));
            if (leaf.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("message/")) {
                // an attached message is downloaded as an .eml file with CRLF line ends
                originalLeaves.add(sha256(TestMails.asSent(leaf.content())));
            }
        }
        Set<String> storedHashes = new HashSet<>();
        for (Map<String, Object> file : stored) {
            String sha = (String) file.get("sha256");
            assertThat(blobSha256(blobStore, file.get("blob_key")))
                    .as("blob of %s", file.get("name"))
                    .isEqualTo(sha);
            if (!brokenNames.contains(((String) file.get("name")).replaceAll("\\p{Cntrl}", ""))) {
                // (a part whose base64 is broken has no single right decoding: only its integrity is checked)
                assertThat(originalLeaves)
                        .as("stored %s is what Angus Mail decodes from a part of the original", file.get("name"))
                        .contains(sha);
            }
            if ((Long) file.get("size") > 0) {
                storedHashes.add(sha);
            }
        }

        MimeMessage copy = NextHopCapture.parse(external.get(0));
        assertThat(copy.getHeader("X-Todoke-Kind")).containsExactly("notice");
        // every stored attachment is gone from the copy: whatever content stays (an inline image that is
        // also attached) is there as often as in the original minus the times it was taken out
        Map<String, Long> inOriginal = counts(reference);
        Map<String, Long> inCopy = counts(leaves(copy));
        Map<String, Long> taken = new java.util.HashMap<>();
        for (Map<String, Object> file : stored) {
            if ((Long) file.get("size") > 0) {
                taken.merge((String) file.get("sha256"), 1L, Long::sum);
            }
        }
        for (Map.Entry<String, Long> t : taken.entrySet()) {
            assertThat(inCopy.getOrDefault(t.getKey(), 0L))
                    .as("a stored attachment is still in the external copy")
                    .isLessThanOrEqualTo(Math.max(0, inOriginal.getOrDefault(t.getKey(), 0L) - t.getValue()));
        }
        // every file an independent reader sees as attached is stored under its name, and none of it is in
        // the outside copy
        Set<String> keptInCopy = new HashSet<>(inCopy.keySet());
        for (AngusReference.File file : AngusReference.attachments(originalParsed)) {
            if (file.content() == null) {
                continue; // Angus cannot decode it: nothing to compare with
            }
            String label = file.contentType() + " " + file.name() + " (" + file.content().length + " bytes)";
            String sha = sha256(file.content());
            boolean empty = file.content().length == 0; // (Angus reads nothing where its decoder gives up)
            List<String> names = stored.stream()
                    .filter(row -> empty || sha.equals(row.get("sha256")))
                    .map(row -> (String) row.get("name"))
                    .toList();
            assertThat(names).as("attached file stored for download: %s", label).isNotEmpty();
            assertThat(names).as("stored under its name: %s", label).anyMatch(n -> AngusReference.sameName(file, n));
            if (!keptInCopy.contains(sha)) {
                assertThat(AngusReference.trace(external.get(0), file))
                        .as("trace of %s in the outside copy", label)
                        .isNull();
            }
        }
        String copyText = squeeze(TestMails.allText(copy));
        assertThat(copyText).contains("パスワードは別送しません");
        for (String body : bodyTexts(originalParsed, storedHashes)) {
            assertThat(copyText).as("body text kept").contains(squeeze(body));
        }
    }

    /** A message relayed unchanged to the outside must be encrypted or have no file Angus Mail sees as attached. */
    private static void assertNoAttachmentPassedUnchanged(Path sample, byte[] expected) throws Exception {
        Path spooled = dataDir.resolve("unchanged-check.eml");
        Files.write(spooled, expected);
        if (new MimeParser(MimeLimits.defaults()).parse(spooled).security() == Security.ENCRYPTED) {
            return;
        }
        List<AngusReference.File> files;
        try {
            files = AngusReference.attachments(NextHopCapture.parse(expected));
        } catch (jakarta.mail.MessagingException angusRefuses) {
            System.out.println("note: Angus Mail refuses " + sample.getFileName() + ": " + angusRefuses);
            return;
        }
        assertThat(files)
                .as("files an independent reader sees as attached, relayed unchanged to the outside")
                .isEmpty();
    }

    private static Map<String, Long> counts(List<Leaf> leaves) throws Exception {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (Leaf leaf : leaves) {
            counts.merge(sha256(leaf.content()), 1L, Long::sum);
        }
        return counts;
    }

    private long countAudit() {
        return jdbc.sql("select count(*) from audit_event where kind = 'mail-refused'")
                .query(Long.class)
                .single();
    }

    /** The texts of the original's text/plain and text/html parts that were not taken out. */
    private static List<String> bodyTexts(Part part, Set<String> storedHashes) throws Exception {
        List<String> texts = new ArrayList<>();
        collectTexts(part, storedHashes, texts, 0);
        return texts;
    }

    private static void collectTexts(Part part, Set<String> storedHashes, List<String> texts, int depth)
            throws Exception {
        if (depth > 50) {
            return;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collectTexts(child, storedHashes, texts, depth + 1);
            }
            return;
        }
        if (!part.isMimeType("text/plain") && !part.isMimeType("text/html")) {
            return;
        }
        byte[] decoded;
        try (InputStream in = part.getInputStream()) {
            decoded = in.readAllBytes();
        }
        if (storedHashes.contains(sha256(decoded))) {
            return;
        }
        try {
            if (part.getContent() instanceof String text) {
                texts.add(text);
            }
        } catch (IOException unsupportedCharset) {
            // Angus cannot decode this charset: nothing to compare with
        }
    }

    /** Text without tags and whitespace, for "is it still there" comparisons. */
    private static String squeeze(String text) {
        return text.replaceAll("(?is)<head\\b.*?</head>", "")
                .replaceAll("<[^>]*>", "")
                .replaceAll("&nbsp;", "")
                .replaceAll("\\s+", "");
    }
}
