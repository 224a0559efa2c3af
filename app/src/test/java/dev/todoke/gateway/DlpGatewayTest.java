package dev.todoke.gateway;

import static dev.todoke.gateway.GatewayTestSupport.ALICE;
import static dev.todoke.gateway.GatewayTestSupport.SENDER;
import static dev.todoke.gateway.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.inspection.RealSamples;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Inspection over real SMTP with a policy that uses each action once: password-protected files {@code
 * warn}, My Number {@code warn}, card numbers {@code refuse}, a keyword rule {@code log},
 * another {@code off}, archive limits {@code warn} ({@code hold}, which sends mail to approval, is in
 * HoldStepTest). The log output, the receipt and the audit log are
 * checked never to hold the numbers found.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DlpGatewayTest extends GatewayTestBase {

    private static final String MY_NUMBER = "123456789018";
    private static final String CARD = "4111 1111 1111 1111";
    private static final List<String> SECRETS = List.of(MY_NUMBER, CARD, "4111111111111111", "4111-1111-1111-1111");

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final RawNextHopCapture nextHop = new RawNextHopCapture();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.gatewayProperties(registry, dataDir, nextHop::port);
        registry.add("todoke.inspection.encrypted-files", () -> "warn");
        registry.add("todoke.inspection.archive-limits", () -> "warn");
        registry.add("todoke.inspection.dlp.my-number", () -> "warn");
        registry.add("todoke.inspection.dlp.card-number", () -> "refuse");
        registry.add("todoke.inspection.dlp.rules[0].name", () -> "confidential");
        registry.add("todoke.inspection.dlp.rules[0].pattern", () -> "社外秘");
        registry.add("todoke.inspection.dlp.rules[0].action", () -> "log");
        registry.add("todoke.inspection.dlp.rules[1].name", () -> "draft");
        registry.add("todoke.inspection.dlp.rules[1].pattern", () -> "DRAFT");
        registry.add("todoke.inspection.dlp.rules[1].action", () -> "off");
    }

    private int audited(String kind) {
        return jdbc.sql("select count(*) from audit_event where kind = ?")
                .param(kind)
                .query(Integer.class)
                .single();
    }

    private void assertNoSecretIn(String text) {
        SECRETS.forEach(s -> assertThat(text).doesNotContain(s));
    }

    @Test
    void processWhenMyNumberInBodyAndEncryptedZipThenLinkedAndReceiptWarnsWithoutTheNumber(CapturedOutput output)
            throws Exception {
        byte[] original = mail().to(ALICE)
                .text("お世話になります。\r\nマイナンバー " + MY_NUMBER + " を送ります。DRAFT\r\n", "ISO-2022-JP")
                .attach("見積書.zip", RealSamples.zip4j(EncryptionMethod.AES, "a.txt", "figures"))
                .attach("社内.csv", "社外秘,x\n".getBytes(StandardCharsets.UTF_8))
                .build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(nextHop.rawFor(ALICE)).hasSize(1);
        byte[] raw = nextHop.rawFor(SENDER).getFirst();
        MimeMessage receipt = NextHopCapture.parse(raw);
        assertThat(receipt.getHeader("X-Todoke-Finding")).containsExactly("encrypted-file, my-number");
        String text = TestMails.allText(receipt);
        assertThat(text)
                .contains("Password-protected files (PPAP)", "見積書.zip")
                .contains("Possible personal or payment data", "本文 1 / body 1: my-number 1 (line 2)")
                .doesNotContain("confidential", "draft");
        assertNoSecretIn(text);
        assertNoSecretIn(new String(raw, StandardCharsets.ISO_8859_1));
        assertThat(audited("encrypted-file")).isEqualTo(1);
        assertThat(audited("personal-data")).isEqualTo(1);
        assertThat(jdbc.sql("select detail from audit_event where kind = 'personal-data'")
                        .query(String.class)
                        .single())
                .isEqualTo("my-number 1 [body 1 (line 2)] warn, confidential 1 [file 2 (line 1)] log");
        assertThat(output.getAll()).contains("DLP: my-number 1 [body 1 (line 2)] warn");
        assertNoSecretIn(output.getAll());
    }

    @Test
    void processWhenCardNumberInPdfThen554AndNothingStoredOrLogged(CapturedOutput output) throws Exception {
        byte[] original = mail().to(ALICE)
                .attach("invoice.pdf", RealSamples.pdf(false, "Invoice", "Card " + CARD))
                .build();
        int storedBefore =
                jdbc.sql("select count(*) from message").query(Integer.class).single();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.text()).contains("5.7.1 Personal or payment data refused (card-number 1 in file 1)");
        assertNoSecretIn(reply.text());
        assertThat(nextHop.count()).isZero();
        assertThat(jdbc.sql("select count(*) from message").query(Integer.class).single())
                .isEqualTo(storedBefore);
        assertThat(output.getAll()).contains("DLP: card-number 1 [file 1 (line").contains("] refuse");
        assertNoSecretIn(output.getAll());
        assertNoSecretIn(String.join(
                "\n",
                jdbc.sql("select detail from audit_event").query(String.class).list()));
    }

    @Test
    void processWhenZipBombThenLinkedAndReceiptFlagsTheArchive() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(chunk);
            }
            zip.closeEntry();
        }
        byte[] original =
                mail().to(ALICE).attach("logs.zip", bomb.toByteArray()).build();

        Reply reply = GatewayTestSupport.send(listener, SENDER, List.of(ALICE), original);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        MimeMessage receipt = NextHopCapture.parse(nextHop.rawFor(SENDER).getFirst());
        assertThat(receipt.getHeader("X-Todoke-Finding")).containsExactly("archive-limit");
        assertThat(TestMails.allText(receipt)).contains("Archives over the decompression limits", "logs.zip: ratio");
        assertThat(audited("archive-limit")).isEqualTo(1);
    }
}
