package dev.todoke.e2e;

import static dev.todoke.e2e.WholeFlowBrowserTest.extract;
import static dev.todoke.e2e.WholeFlowBrowserTest.onlySixDigitNumber;
import static dev.todoke.e2e.WholeFlowBrowserTest.randomBytes;
import static dev.todoke.e2e.WholeFlowBrowserTest.screenshot;
import static dev.todoke.e2e.WholeFlowBrowserTest.sha256;
import static dev.todoke.e2e.WholeFlowBrowserTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.ZeroKnowledgeFormat;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 15, zero-knowledge transfers, with every part real: a mail in the mode goes in over SMTP (one
 * small file and one of 200 MiB), the recipient passes the passcode step in headless Chromium and the page
 * decrypts both files in the browser; the saved files' SHA-256 equal the originals'. The ciphertext the
 * API serves decrypts with nothing the server holds (every value in its database, its key files and its
 * KEKs are tried), and after the sender revokes the link its wrapped key is gone: the link opens nothing
 * even with its fragment.
 *
 * <p>Runs in its own surefire execution with a heap of 192 MiB (e2e/pom.xml), smaller than the 200 MiB
 * file (201 MB against 210 MB): the server, which runs in this JVM, can only pass the test by streaming it.
 */
@Timeout(600)
class ZeroKnowledgeBrowserTest {

    static final String ALICE = "alice@example.co.jp";
    static final String BOB = "bob@partner.example";
    static final String SMALL_NAME = "取締役会資料.pdf";
    static final String LARGE_NAME = "dataroom.bin";
    static final long LARGE_SIZE = 200L * 1024 * 1024;
    static final Duration MAIL_WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    RunningTodoke todoke;
    GreenMail nextHop;
    ConfigurableApplicationContext app;
    String baseUrl;

    @BeforeEach
    void start() {
        assumeTrue(Boolean.getBoolean("todoke.e2e.zk-heap"), "runs in the zero-knowledge-heap execution (e2e/pom.xml)");
        todoke = RunningTodoke.start(
                dataDir, "--todoke.smtp.max-message-size=400MB", "--todoke.links.mode=zero-knowledge");
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
    void zeroKnowledgeMailWhenDownloadedInBrowserThenFilesMatchServerCannotDecryptAndRevokeEndsIt() throws Exception {
        assumeTrue(Boolean.getBoolean("todoke.e2e.zk-heap"), "runs in the zero-knowledge-heap execution (e2e/pom.xml)");
        assertThat(Runtime.getRuntime().maxMemory())
                .as("the heap must be smaller than the large file (run through e2e/pom.xml's execution)")
                .isLessThan(LARGE_SIZE);
        byte[] small = randomBytes(300_000, 3);
        Path large = files.resolve(LARGE_NAME);
        String largeSha256 = writeRandomFile(large, LARGE_SIZE);
        sendMail(app.getBean(SmtpListener.class).port(), small, large);

        // 1. bob's copy carries the link with the key in its fragment: #k= and 32 bytes in base64url
        String noticeText = text(awaitMail(BOB, "notice"));
        Matcher link = Pattern.compile(
                        Pattern.quote(baseUrl) + "/d/([A-Za-z0-9_-]{22,})#k=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")
                .matcher(noticeText);
        assertThat(link.find())
                .as("a link with its key fragment in:\n" + noticeText)
                .isTrue();
        String token = link.group(1);
        byte[] secret = Base64.getUrlDecoder().decode(link.group(2));
        assertThat(secret).hasSize(32);
        String recipientUrl = baseUrl + "/d/" + token;
        String api = baseUrl + "/api/v1/d/" + token;
        String manageUrl = baseUrl + "/s/" + extract(text(awaitMail(ALICE, "receipt")), baseUrl + "/s/");

        try (Browser browser = Browser.launch();
                BrowserContext bob = browser.newContext("ja-JP")) {
            // the File System Access API needs a person to pick a file: headless, the page takes its Blob path
            bob.addInitScript("Object.defineProperty(window, 'showSaveFilePicker', {value: undefined})");
            APIResponse info = bob.request().get(api);
            assertThat(info.status()).isEqualTo(200);
            assertThat(info.text()).contains("\"mode\":\"zero-knowledge\"");

            // 2. the passcode step as in the normal mode; the link's fragment stays in the browser
            Page page = bob.newPage();
            Response landing = page.navigate(recipientUrl + "#k=" + link.group(2));
            assertThat(landing.status()).isEqualTo(200);
            assertThat(landing.headerValue("Content-Security-Policy"))
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("確認コードをメールで受け取る"))
                    .click();
            page.waitForURL("**/d/" + token + "?sent=1");
            String code = onlySixDigitNumber(text(awaitMail(BOB, "otp")));
            page.getByLabel("確認コード", new Page.GetByLabelOptions().setExact(true))
                    .fill(code);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ファイルを表示"))
                    .click();
            page.waitForURL(recipientUrl);
            assertThat(page.locator("main").innerText())
                    .contains(SMALL_NAME)
                    .contains(sha256(small))
                    .contains(largeSha256)
                    .contains(String.format("%,d bytes", LARGE_SIZE));
            screenshot(page, "zk-1-files");

            // 3. each file decrypted in the browser and saved; the saved bytes are the originals
            assertThat(sha256(Files.readAllBytes(downloadInBrowser(page, SMALL_NAME))))
                    .isEqualTo(sha256(small));
            assertThat(sha256Of(Files.newInputStream(downloadInBrowser(page, LARGE_NAME))))
                    .isEqualTo(largeSha256);
            screenshot(page, "zk-2-decrypted");

            // the ZIP of all files, built in the browser from the decrypted streams
            Download zipAll = page.waitForDownload(
                    new Page.WaitForDownloadOptions()
                            .setTimeout(Duration.ofMinutes(5).toMillis()),
                    () -> page.locator("#zk-all").click());
            assertThat(zipAll.failure()).isNull();
            assertThat(zipAll.suggestedFilename()).isEqualTo("todoke-files.zip");
            assertThat(zipEntrySha256s(zipAll.path()))
                    .containsExactly(Map.entry(SMALL_NAME, sha256(small)), Map.entry(LARGE_NAME, largeSha256));

            // the page refuses what does not decrypt: a wrong key in the fragment, a changed ciphertext
            page.reload();
            String right = (String) page.evaluate("sessionStorage.getItem('todoke-zk:" + token + "')");
            assertThat(right).isEqualTo(link.group(2));
            page.evaluate("sessionStorage.setItem('todoke-zk:" + token + "', '" + "A".repeat(43) + "')");
            assertThat(failedInBrowser(page, SMALL_NAME)).isEqualTo("failed");
            page.reload();
            page.evaluate("sessionStorage.setItem('todoke-zk:" + token + "', '" + right + "')");
            page.route("**/api/v1/d/*/files/*", route -> {
                APIResponse original = route.fetch();
                byte[] changed = original.body();
                changed[changed.length / 2] ^= 1;
                route.fulfill(new Route.FulfillOptions().setResponse(original).setBodyBytes(changed));
            });
            assertThat(failedInBrowser(page, SMALL_NAME)).isEqualTo("failed");
            page.unrouteAll();

            // 4. the API: ciphertext with its own ETag and Range; no ZIP from the server
            String fileId = page.locator("button.zk-file[data-name='" + SMALL_NAME + "']")
                    .getAttribute("data-id");
            APIResponse cipher = bob.request().get(api + "/files/" + fileId);
            assertThat(cipher.status()).isEqualTo(200);
            assertThat(cipher.headers().get("etag")).isEqualTo("\"zk-" + sha256(small) + "\"");
            byte[] ciphertext = cipher.body();
            assertThat(new String(ciphertext, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("TDKZ");
            assertThat(ZeroKnowledgeFormat.plaintextSize(ciphertext.length)).isEqualTo(small.length);
            APIResponse ranged = bob.request()
                    .get(api + "/files/" + fileId, RequestOptions.create().setHeader("Range", "bytes=100-199"));
            assertThat(ranged.status()).isEqualTo(206);
            assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(ciphertext, 100, 200));
            APIResponse zip = bob.request().get(api + "/zip");
            assertThat(zip.status()).isEqualTo(409);
            assertThat(zip.text()).isEqualTo("{\"error\":\"zero-knowledge\"}");
            byte[] wrapped = Base64.getUrlDecoder()
                    .decode(bob.request().get(api + "/key").text().replaceAll(".*\"wrappedKey\":\"([^\"]+)\".*", "$1"));

            // 5. the server's whole store (its own keys take off only their own layer) holds the same ciphertext
            String blobKey = jdbcSingle("select blob_key from stored_file where sha256 = '" + sha256(small) + "'");
            try (InputStream stored = app.getBean(BlobStore.class).open(blobKey)) {
                assertThat(stored.readAllBytes()).isEqualTo(ciphertext);
            }
            // ... which no value the server holds decrypts; the link's own secret does (the control)
            Set<byte[]> candidates = serverHeldKeys();
            assertThat(candidates).hasSizeGreaterThan(10);
            for (byte[] candidate : candidates) {
                assertThatThrownBy(() -> ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(ciphertext), candidate)
                                .readAllBytes())
                        .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> ZeroKnowledgeFormat.unwrap(wrapped, candidate))
                        .isInstanceOf(RuntimeException.class);
            }
            byte[] dataKey = ZeroKnowledgeFormat.unwrap(wrapped, secret);
            assertThat(ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(ciphertext), dataKey)
                            .readAllBytes())
                    .isEqualTo(small);

            // 6. alice revokes: the wrapped key is deleted, and the link opens nothing, fragment or not
            try (BrowserContext alice = browser.newContext("ja-JP")) {
                Page manage = alice.newPage();
                assertThat(manage.navigate(manageUrl).status()).isEqualTo(200);
                manage.locator("tr", new Page.LocatorOptions().setHasText(BOB))
                        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("取り消す"))
                        .click();
                manage.waitForURL("**/s/*?saved=1");
            }
            assertThat(jdbcSingle("select count(*) from zk_link_key")).isEqualTo("0");
            assertThat(bob.request().get(api + "/key").status()).isEqualTo(410);
            Page again = bob.newPage();
            assertThat(again.navigate(recipientUrl + "#k=" + link.group(2)).status())
                    .isEqualTo(410);
            assertThat(again.locator("main").innerText()).contains("このリンクは取り消されました");
            for (byte[] candidate : serverHeldKeys()) {
                assertThatThrownBy(() -> ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(ciphertext), candidate)
                                .readAllBytes())
                        .isInstanceOf(IOException.class);
            }
        }
    }

    /** Each entry's name and the SHA-256 of its content, in the ZIP's order (read through its central directory). */
    static Map<String, String> zipEntrySha256s(Path zip) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(file.getEntriesInPhysicalOrder())) {
                assertThat(entry.getGeneralPurposeBit().usesUTF8ForNames()).isTrue();
                try (InputStream in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), sha256Of(in));
                }
            }
        }
        return entries;
    }

    /** Clicks the file's button and returns the state the page ends in when it saves nothing. */
    static String failedInBrowser(Page page, String name) {
        Locator button = page.locator("button.zk-file[data-name='" + name + "']");
        Locator result = button.locator("xpath=..").locator(".zk-result");
        List<Download> downloads = new ArrayList<>();
        page.onDownload(downloads::add);
        button.click();
        page.waitForCondition(() -> !"working".equals(result.getAttribute("data-state")));
        assertThat(downloads).as("nothing saved").isEmpty();
        return result.getAttribute("data-state");
    }

    /** Clicks the file's button and waits for the page to decrypt, check and save it. */
    static Path downloadInBrowser(Page page, String name) {
        Locator button = page.locator("button.zk-file[data-name='" + name + "']");
        Download download = page.waitForDownload(
                new Page.WaitForDownloadOptions()
                        .setTimeout(Duration.ofMinutes(5).toMillis()),
                button::click);
        assertThat(download.failure()).isNull();
        assertThat(download.suggestedFilename()).isEqualTo(name);
        assertThat(button.locator("xpath=..").locator(".zk-result").getAttribute("data-state"))
                .isEqualTo("done");
        return download.path();
    }

    /**
     * Every key the server could try: each value in every table of its database and in its data
     * directory's small files (KEK file, server secret), decoded as hex, base64 and base64url, as a whole
     * when 32 bytes long and as every 32-byte window of values up to 128 bytes.
     */
    Set<byte[]> serverHeldKeys() throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = app.getBean(DataSource.class).getConnection();
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    if (!"INFORMATION_SCHEMA".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                        tables.add("\"" + rs.getString("TABLE_SCHEM") + "\".\"" + rs.getString("TABLE_NAME") + "\"");
                    }
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("select * from " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int c = 1; c <= columns; c++) {
                            Object value = rs.getObject(c);
                            if (value instanceof byte[] bytes) {
                                values.add(Base64.getEncoder().encodeToString(bytes));
                            } else if (value != null) {
                                values.add(value.toString());
                            }
                        }
                    }
                }
            }
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (Files.size(file) <= 16 * 1024) {
                    values.addAll(Arrays.asList(
                            Files.readString(file, StandardCharsets.ISO_8859_1).split("[^A-Za-z0-9+/=_-]+")));
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<byte[]> keys = new java.util.HashSet<>();
        for (String value : values) {
            for (byte[] decoded : decodings(value.strip())) {
                if (decoded.length >= 32 && decoded.length <= 128) {
                    for (int i = 0; i + 32 <= decoded.length; i++) {
                        byte[] key = Arrays.copyOfRange(decoded, i, i + 32);
                        if (seen.add(HexFormat.of().formatHex(key))) {
                            keys.add(key);
                        }
                    }
                }
            }
        }
        return keys;
    }

    static List<byte[]> decodings(String value) {
        List<byte[]> out = new ArrayList<>();
        out.add(value.getBytes(StandardCharsets.UTF_8));
        if (value.matches("([0-9a-fA-F]{2})+")) {
            out.add(HexFormat.of().parseHex(value));
        }
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                out.add(decoder.decode(value.replace("=", "")));
            } catch (IllegalArgumentException notThisOne) {
                // not in this alphabet
            }
        }
        return out;
    }

    String jdbcSingle(String sql) throws Exception {
        try (Connection connection = app.getBean(DataSource.class).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    static String writeRandomFile(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(15);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                digest.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Of(InputStream content) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(content, digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void sendMail(int port, byte[] small, Path large) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "300000");
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress(ALICE));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB));
        message.setSubject("取締役会資料", "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("ボブ様\n\n資料をお送りします。\n", "UTF-8");
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new DataHandler(new ByteArrayDataSource(small, "application/pdf")));
        pdf.setFileName(SMALL_NAME);
        pdf.setDisposition(Part.ATTACHMENT);
        MimeBodyPart bin = new MimeBodyPart();
        bin.setDataHandler(new DataHandler(new FileDataSource(large.toFile())));
        bin.setFileName(LARGE_NAME);
        bin.setDisposition(Part.ATTACHMENT);
        bin.setHeader("Content-Type", "application/octet-stream");
        message.setContent(new MimeMultipart(body, pdf, bin));
        message.saveChanges();
        bin.setHeader("Content-Transfer-Encoding", "base64");
        Transport.send(message);
    }

    MimeMessage awaitMail(String address, String kind) throws Exception {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : nextHop.getReceivedMessagesForDomain(address)) {
                if (kind.equals(message.getHeader("X-Todoke-Kind", null))) {
                    return message;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + kind + " mail for " + address + " within " + MAIL_WAIT);
    }
}
