package dev.todoke.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.todoke.smtp.SmtpListener;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 4's whole flow with every part real: an SMTP client sends a mail with two attachments to the
 * running application, GreenMail captures what the next hop receives (the notice, the receipt, the
 * passcode), headless Chromium plays the recipient (asks for the code, types it, downloads both files
 * and the ZIP) and then the sender (withdraws the link), and the recipient's link and download URL
 * stop working.
 */
@Timeout(180)
class WholeFlowBrowserTest {

    static final String ALICE = "alice@example.co.jp";
    static final String BOB = "bob@partner.example";
    static final String JAPANESE_NAME = "見積書_2026年度.pdf";
    static final String BINARY_NAME = "measurements.bin";
    static final Duration MAIL_WAIT = Duration.ofSeconds(30);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dataDir;

    RunningTodoke todoke;
    GreenMail nextHop;
    ConfigurableApplicationContext app;
    String baseUrl;

    @BeforeEach
    void start() {
        todoke = RunningTodoke.start(dataDir);
        nextHop = todoke.nextHop;
        app = todoke.app;
        baseUrl = todoke.baseUrl;
    }

    @AfterEach
    void stop() {
        if (todoke != null) {
            todoke.close();
        }
    }

    @Test
    void mailWhenSentWithAttachmentsThenRecipientDownloadsInBrowserAndSenderRevokes() throws Exception {
        byte[] quotation = randomBytes(48_213, 7);
        byte[] binary = randomBytes(300_000, 11);
        Map<String, byte[]> originals = Map.of(JAPANESE_NAME, quotation, BINARY_NAME, binary);

        try (Browser browser = Browser.launch()) {
            // 1. alice sends over SMTP; the next hop gets bob's notice copy and alice's receipt
            sendMail(app.getBean(SmtpListener.class).port(), quotation, binary);
            MimeMessage notice = awaitMail(BOB, "notice");
            String noticeText = text(notice);
            assertThat(noticeText).contains(JAPANESE_NAME).contains(BINARY_NAME);
            String token = extract(noticeText, baseUrl + "/d/");
            String recipientUrl = baseUrl + "/d/" + token;
            assertThat(leafFileNames(notice))
                    .as("no attachment left in bob's copy")
                    .isEmpty();
            String manageUrl = baseUrl + "/s/" + extract(text(awaitMail(ALICE, "receipt")), baseUrl + "/s/");

            // 2. a link scanner fetches the link and the API first: no code is mailed
            HttpClient scanner = HttpClient.newHttpClient();
            HttpResponse<String> scanned = scanner.send(
                    HttpRequest.newBuilder(URI.create(recipientUrl)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scanned.statusCode()).isEqualTo(200);
            HttpResponse<String> scannedApi = scanner.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/d/" + token))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scannedApi.statusCode()).isEqualTo(200);
            assertThat(scannedApi.body())
                    .contains("\"sender\":\"" + ALICE + "\"")
                    .contains("\"fileCount\":2")
                    .contains("\"recipient\":\"b***@partner.example\"");
            assertThat(mails(BOB, "otp"))
                    .as("passcode mails after the scanner's GETs")
                    .isEmpty();

            // 3. bob opens the link: sender and file count, no file names before verification
            try (BrowserContext bob = browser.newContext("ja-JP")) {
                Page page = bob.newPage();
                Response landing = page.navigate(recipientUrl);
                assertThat(landing.status()).isEqualTo(200);
                String landingText = page.locator("main").innerText();
                assertThat(landingText)
                        .contains(ALICE)
                        .contains("b***@partner.example")
                        .doesNotContain(JAPANESE_NAME)
                        .doesNotContain(BINARY_NAME);
                assertThat(page.locator("dt:text-is('ファイル数') + dd").innerText()).isEqualTo("2");
                assertThat(mails(BOB, "otp"))
                        .as("passcode mails after bob's GET")
                        .isEmpty();
                screenshot(page, "1-recipient-landing");

                // 4. the button mails the code (a POST); read it from the captured mail, type it
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("確認コードをメールで受け取る"))
                        .click();
                page.waitForURL("**/d/" + token + "?sent=1");
                MimeMessage otp = awaitMail(BOB, "otp");
                assertThat(mails(BOB, "otp")).as("exactly one passcode mail").hasSize(1);
                String otpText = text(otp);
                assertThat(otpText).doesNotContain(JAPANESE_NAME).doesNotContain(BINARY_NAME);
                String code = onlySixDigitNumber(otpText);
                page.getByLabel("確認コード", new Page.GetByLabelOptions().setExact(true))
                        .fill(code);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ファイルを表示"))
                        .click();
                page.waitForURL(recipientUrl);

                // 5. the files page: names (the Japanese one as written), sizes, SHA-256
                String filesText = page.locator("main").innerText();
                assertThat(filesText)
                        .contains(JAPANESE_NAME)
                        .contains(BINARY_NAME)
                        .contains("48,213 bytes")
                        .contains("300,000 bytes")
                        .contains(sha256(quotation))
                        .contains(sha256(binary));
                screenshot(page, "2-recipient-files");

                // 6. download each file and the ZIP through the browser; compare with the originals
                Map<String, String> fileUrls = new HashMap<>();
                for (Map.Entry<String, byte[]> original : originals.entrySet()) {
                    Locator row = page.locator("tr", new Page.LocatorOptions().setHasText(original.getKey()));
                    Locator link = row.getByRole(AriaRole.LINK);
                    Download download = page.waitForDownload(link::click);
                    assertThat(download.failure()).isNull();
                    assertThat(download.suggestedFilename()).isEqualTo(original.getKey());
                    assertThat(sha256(Files.readAllBytes(download.path())))
                            .as(original.getKey())
                            .isEqualTo(sha256(original.getValue()));
                    fileUrls.put(original.getKey(), download.url());
                }
                Download zip = page.waitForDownload(
                        () -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("すべてを1つの ZIP でダウンロード"))
                                .click());
                assertThat(zip.failure()).isNull();
                assertThat(zip.suggestedFilename()).endsWith(".zip");
                assertZipHolds(zip.path(), originals);

                // the same session, without the browser's download machinery: Range is honoured
                String binaryUrl = fileUrls.get(BINARY_NAME);
                APIResponse ranged =
                        bob.request().get(binaryUrl, RequestOptions.create().setHeader("Range", "bytes=1000-1999"));
                assertThat(ranged.status()).isEqualTo(206);
                assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(binary, 1000, 2000));
                String apiFileUrl = binaryUrl.replace(baseUrl + "/d/", baseUrl + "/api/v1/d/");
                assertThat(bob.request().get(apiFileUrl).status()).isEqualTo(200);

                // 7. alice sees bob's downloads on her page and withdraws bob's link (a form POST with CSRF)
                try (BrowserContext alice = browser.newContext("ja-JP")) {
                    Page manage = alice.newPage();
                    assertThat(manage.navigate(manageUrl).status()).isEqualTo(200);
                    Locator bobRow = manage.locator("tr", new Page.LocatorOptions().setHasText(BOB));
                    assertThat(bobRow.innerText())
                            .contains("有効")
                            .contains(JAPANESE_NAME)
                            .contains(BINARY_NAME)
                            .contains("全ファイル (ZIP)");
                    screenshot(manage, "3-sender-before-revoke");
                    assertThat(manage.locator("form[action$='/revoke'] input[name=_csrf]")
                                    .first()
                                    .inputValue())
                            .isNotBlank();
                    bobRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("取り消す"))
                            .click();
                    manage.waitForURL("**/s/*?saved=1");
                    assertThat(manage.locator("tr", new Page.LocatorOptions().setHasText(BOB))
                                    .innerText())
                            .contains("取り消し済み");
                    screenshot(manage, "4-sender-after-revoke");
                }

                // 8. bob's link shows the withdrawn page; the download URLs answer 410, session or not
                Response revoked = page.navigate(recipientUrl);
                assertThat(revoked.status()).isEqualTo(410);
                assertThat(page.locator("main").innerText()).contains("このリンクは取り消されました");
                screenshot(page, "5-recipient-revoked");
                for (String url : fileUrls.values()) {
                    assertThat(bob.request().get(url).status()).as(url).isEqualTo(410);
                }
                APIResponse apiRevoked = bob.request().get(apiFileUrl);
                assertThat(apiRevoked.status()).isEqualTo(410);
                assertThat(apiRevoked.text()).contains("\"error\":\"revoked\"");
                assertThat(bob.request().get(recipientUrl + "/zip").status()).isEqualTo(410);
            }
        }
    }

    void sendMail(int port, byte[] quotation, byte[] binary) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(ALICE, "山田 アリス", "UTF-8"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB));
        message.setSubject("お見積書の送付", "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("ボブ様\n\nいつもお世話になっております。お見積書をお送りします。\n\nアリス\n", "UTF-8");
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(quotation, "application/pdf")));
        pdf.setFileName(JAPANESE_NAME);
        pdf.setDisposition(Part.ATTACHMENT);
        MimeBodyPart bin = new MimeBodyPart();
        bin.setDataHandler(
                new jakarta.activation.DataHandler(new ByteArrayDataSource(binary, "application/octet-stream")));
        bin.setFileName(BINARY_NAME);
        bin.setDisposition(Part.ATTACHMENT);
        message.setContent(new MimeMultipart(body, pdf, bin));
        message.saveChanges();
        Transport.send(message);
    }

    /** Waits (bounded) for the one mail of {@code kind} delivered to {@code address}. */
    MimeMessage awaitMail(String address, String kind) throws Exception {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (true) {
            List<MimeMessage> found = mails(address, kind);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " mail for " + address + " within " + MAIL_WAIT);
            }
            nextHop.waitForIncomingEmail(200, nextHop.getReceivedMessages().length + 1);
        }
    }

    List<MimeMessage> mails(String address, String kind) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : nextHop.getReceivedMessagesForDomain(address)) {
            if (kind.equals(message.getHeader("X-Todoke-Kind", null))) {
                found.add(message);
            }
        }
        return found;
    }

    static String extract(String text, String prefix) {
        Matcher matcher =
                Pattern.compile(Pattern.quote(prefix) + "([A-Za-z0-9_-]{22,})").matcher(text);
        assertThat(matcher.find()).as("a link starting " + prefix).isTrue();
        return matcher.group(1);
    }

    static String onlySixDigitNumber(String text) {
        Matcher matcher = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])").matcher(text);
        List<String> numbers = new ArrayList<>();
        while (matcher.find()) {
            numbers.add(matcher.group());
        }
        assertThat(numbers).as("6-digit numbers in the passcode mail").hasSize(1);
        return numbers.get(0);
    }

    /** The text/plain parts of a message, joined. */
    static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(text(multipart.getBodyPart(i))).append('\n');
            }
            return text.toString();
        }
        return "";
    }

    static List<String> leafFileNames(Part part) throws Exception {
        List<String> names = new ArrayList<>();
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                names.addAll(leafFileNames(multipart.getBodyPart(i)));
            }
        } else if (part.getFileName() != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            names.add(String.valueOf(part.getFileName()));
        }
        return names;
    }

    static void assertZipHolds(Path zip, Map<String, byte[]> originals) throws IOException {
        Map<String, String> entries = new HashMap<>();
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(file.getEntries())) {
                assertThat(entry.getGeneralPurposeBit().usesUTF8ForNames())
                        .as("UTF-8 flag of " + entry.getName())
                        .isTrue();
                try (InputStream in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), sha256(in.readAllBytes()));
                }
            }
        }
        Map<String, String> expected = new HashMap<>();
        originals.forEach((name, bytes) -> expected.put(name, sha256(bytes)));
        assertThat(entries).isEqualTo(expected);
    }

    static void screenshot(Page page, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
