package dev.todoke.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.todoke.smtp.SmtpListener;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 11's console flow with every part real: a mail with a file sent over SMTP to two outside recipients;
 * headless Chromium signs in as an administrator through an in-process OIDC provider (mock-oauth2-server),
 * finds the transfer on {@code /admin/transfers}, revokes one recipient, sees the audit rows and exports them
 * as CSV; then signs in as the sender, sees the transfer on {@code /my} and changes its expiry; the revoked
 * recipient's link answers 410, the other's still works and shows the new expiry.
 */
@Timeout(240)
class ConsoleFlowBrowserTest {

    static final String ALICE = "alice@example.co.jp";
    static final String BOB = "bob@partner.example";
    static final String CAROL = "carol@other.example";
    static final String SUBJECT = "四半期レポート Q4";
    static final String CLIENT_ID = "todoke-e2e";
    static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    static final Duration MAIL_WAIT = Duration.ofSeconds(30);
    static final String CSV_HEADER = "id,at,actor,action,transfer,linkId,address,clientIp,detail,chain";

    @TempDir
    Path dataDir;

    RunningTodoke todoke;
    GreenMail nextHop;
    MockOAuth2Server idp;
    ConfigurableApplicationContext app;
    String baseUrl;

    @BeforeEach
    void start() {
        idp = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(), new NettyWrapper()));
        idp.start();
        String registration = "--spring.security.oauth2.client.registration.todoke.";
        todoke = RunningTodoke.start(
                dataDir,
                "--todoke.web.zone=" + ZONE.getId(),
                "--todoke.tls.mx-overrides[other.example]=127.0.0.1:1",
                registration + "client-id=" + CLIENT_ID,
                registration + "client-secret=client-secret",
                registration + "scope=openid,email,profile",
                "--spring.security.oauth2.client.provider.todoke.issuer-uri=" + idp.issuerUrl("todoke"));
        nextHop = todoke.nextHop;
        app = todoke.app;
        baseUrl = todoke.baseUrl;
    }

    @AfterEach
    void stop() {
        if (todoke != null) {
            todoke.close();
        }
        if (idp != null) {
            idp.shutdown();
        }
    }

    @Test
    void adminRevokesOneRecipientAndExportsAuditThenSenderChangesExpiryOnMy() throws Exception {
        sendMail(app.getBean(SmtpListener.class).port());
        String bobToken =
                WholeFlowBrowserTest.extract(WholeFlowBrowserTest.text(awaitMail(BOB, "notice")), baseUrl + "/d/");
        String carolToken =
                WholeFlowBrowserTest.extract(WholeFlowBrowserTest.text(awaitMail(CAROL, "notice")), baseUrl + "/d/");
        assertThat(carolToken).isNotEqualTo(bobToken);
        awaitMail(ALICE, "receipt");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, "/api/v1/d/" + bobToken).statusCode()).isEqualTo(200);

        String transferId;
        try (Browser browser = Browser.launch()) {
            // 1. the administrator signs in with the identity provider and finds the transfer by its sender
            try (BrowserContext admin = browser.newContext("ja-JP")) {
                Page page = admin.newPage();
                signIn(
                        page,
                        "admin-1",
                        Map.of(
                                "email",
                                "admin@example.co.jp",
                                "email_verified",
                                true,
                                "groups",
                                List.of("staff", "todoke-admin")));
                assertThat(page.navigate(baseUrl + "/admin/transfers").status()).isEqualTo(200);
                assertThat(page.locator("h1").innerText()).isEqualTo("送信一覧");
                page.locator("#search input[name=sender]").fill(ALICE);
                page.locator("#search input[name=subject]").fill("レポート");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("検索"))
                        .click();
                page.waitForURL(url -> url.contains("sender="));
                assertThat(page.locator("main p.muted").first().innerText()).isEqualTo("1 件");
                Locator row = page.locator("#results tbody tr", new Page.LocatorOptions().setHasText(SUBJECT));
                assertThat(row.innerText()).contains(ALICE, BOB, CAROL);
                row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("開く"))
                        .click();
                page.waitForURL(url -> url.matches(".*/admin/transfers/[0-9a-f-]{36}"));
                transferId = page.url().substring(page.url().lastIndexOf('/') + 1);
                assertThat(page.locator("h1").innerText()).isEqualTo(SUBJECT);
                WholeFlowBrowserTest.screenshot(page, "console-1-transfer");

                // 2. revokes bob's link only (a form POST with the CSRF field)
                Locator bobRow = page.locator("#recipients tr[data-recipient='" + BOB + "']");
                assertThat(bobRow.locator("input[name=_csrf]").first().inputValue())
                        .isNotBlank();
                bobRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("取り消す"))
                        .click();
                page.waitForURL(url -> url.endsWith("/admin/transfers/" + transferId + "?saved"));
                assertThat(page.locator("p.notice").innerText()).isEqualTo("保存しました。");
                assertThat(bobRow.innerText()).contains("取り消し済み");
                assertThat(page.locator("#recipients tr[data-recipient='" + CAROL + "']")
                                .innerText())
                        .contains("有効");
                WholeFlowBrowserTest.screenshot(page, "console-2-revoked");

                // 3. the audit rows of the transfer: mail linked, bob's link revoked by this administrator
                page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("この送信の監査ログ"))
                        .click();
                page.waitForURL(url -> url.endsWith("/admin/audit?transfer=" + transferId));
                Locator events = page.locator("#events tbody tr");
                assertThat(page.locator("#events").innerText()).contains("mail-linked");
                Locator revokedRow = events.filter(new Locator.FilterOptions().setHasText("link-revoked"));
                assertThat(revokedRow.count()).as("link-revoked rows").isEqualTo(1);
                assertThat(revokedRow.innerText()).contains(BOB).contains("admin:");
                WholeFlowBrowserTest.screenshot(page, "console-3-audit");

                // ... and their CSV export, downloaded by the browser, with the chain column
                Download csv = page.waitForDownload(() -> page.locator("#csv").click());
                assertThat(csv.failure()).isNull();
                assertThat(csv.suggestedFilename()).isEqualTo("audit.csv");
                List<String> lines = Files.readAllLines(csv.path(), StandardCharsets.UTF_8);
                assertThat(lines.getFirst()).isEqualTo(CSV_HEADER);
                List<String> revokedLines = lines.stream()
                        .filter(line -> line.contains(",link-revoked,"))
                        .toList();
                assertThat(revokedLines).hasSize(1);
                String revokedLine = revokedLines.getFirst();
                assertThat(revokedLine).contains(transferId).contains(BOB);
                String chain = revokedLine.substring(revokedLine.lastIndexOf(',') + 1);
                assertThat(chain).as("chain value of the link-revoked row").matches("[A-Za-z0-9+/=_-]{16,}");
                assertThat(lines.stream().skip(1))
                        .as("only this transfer's rows")
                        .allSatisfy(line -> assertThat(line).contains(transferId));
            }

            // 4. alice signs in as the sender (her verified e-mail, in other case), sees the transfer on /my
            try (BrowserContext alice = browser.newContext("ja-JP")) {
                Page page = alice.newPage();
                signIn(page, "alice-1", Map.of("email", ALICE.toUpperCase(Locale.ROOT), "email_verified", true));
                assertThat(page.navigate(baseUrl + "/admin/transfers").status())
                        .as("no admin group: no console")
                        .isEqualTo(403);
                assertThat(page.navigate(baseUrl + "/my").status()).isEqualTo(200);
                assertThat(page.locator("#email").innerText()).isEqualToIgnoringCase(ALICE);
                Locator row = page.locator("#transfers tbody tr", new Page.LocatorOptions().setHasText(SUBJECT));
                assertThat(row.count()).isEqualTo(1);
                Locator bobItem = row.locator("li", new Locator.LocatorOptions().setHasText(BOB));
                Locator carolItem = row.locator("li", new Locator.LocatorOptions().setHasText(CAROL));
                assertThat(bobItem.innerText()).contains("取り消し済み");
                assertThat(carolItem.innerText()).contains("有効");
                WholeFlowBrowserTest.screenshot(page, "console-4-my");

                // ... opens it and moves its expiry one hour earlier (a form POST with the CSRF field)
                row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("管理"))
                        .click();
                page.waitForURL(url -> url.endsWith("/my/" + transferId));
                Locator expiry = page.locator("form[action$='/expiry'] input[name=expiresAt]");
                LocalDateTime earlier = LocalDateTime.parse(expiry.inputValue()).minusHours(1);
                String earlierInput = earlier.toString();
                expiry.fill(earlierInput);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("有効期限を保存"))
                        .click();
                page.waitForURL(url -> url.endsWith("/my/" + transferId + "?saved"));
                assertThat(page.locator("p[role=alert]").count()).isZero();
                assertThat(expiry.inputValue()).isEqualTo(earlierInput);
                assertThat(page.locator("dl.facts").innerText()).contains(earlierInput.replace('T', ' '));
                WholeFlowBrowserTest.screenshot(page, "console-5-my-expiry");

                // 5. the revoked recipient's link answers 410, in the browser and over the API
                Response revoked = page.navigate(baseUrl + "/d/" + bobToken);
                assertThat(revoked.status()).isEqualTo(410);
                WholeFlowBrowserTest.screenshot(page, "console-6-recipient-revoked");

                HttpResponse<String> bob = get(http, "/api/v1/d/" + bobToken);
                assertThat(bob.statusCode()).isEqualTo(410);
                assertThat(bob.body()).contains("\"error\":\"revoked\"");
                assertThat(get(http, "/api/v1/d/" + bobToken + "/zip").statusCode())
                        .isEqualTo(410);

                // the other recipient's link still works, with the expiry the sender set
                assertThat(page.navigate(baseUrl + "/d/" + carolToken).status()).isEqualTo(200);
                HttpResponse<String> carol = get(http, "/api/v1/d/" + carolToken);
                assertThat(carol.statusCode()).isEqualTo(200);
                Matcher expiresAt =
                        Pattern.compile("\"expiresAt\":\"([^\"]+)\"").matcher(carol.body());
                assertThat(expiresAt.find()).as(carol.body()).isTrue();
                assertThat(Instant.parse(expiresAt.group(1)))
                        .isEqualTo(earlier.atZone(ZONE).toInstant());
            }
        }
    }

    /** Signs in through the in-process provider as this user (the provider answers without a form). */
    void signIn(Page page, String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("todoke", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
        page.navigate(baseUrl + "/oauth2/authorization/todoke");
        assertThat(page.url()).as("back from the provider").startsWith(baseUrl);
        assertThat(page.url()).doesNotContain("error");
    }

    HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void sendMail(int port) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(ALICE, "山田 アリス", "UTF-8"));
        message.setRecipients(
                Message.RecipientType.TO, new InternetAddress[] {new InternetAddress(BOB), new InternetAddress(CAROL)});
        message.setSubject(SUBJECT, "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("レポートをお送りします。\n", "UTF-8");
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new DataHandler(
                new ByteArrayDataSource(WholeFlowBrowserTest.randomBytes(20_000, 3), "application/pdf")));
        pdf.setFileName("report.pdf");
        pdf.setDisposition(Part.ATTACHMENT);
        message.setContent(new MimeMultipart(body, pdf));
        message.saveChanges();
        Transport.send(message);
    }

    /**
     * Waits (bounded) for the mail of {@code kind} delivered to {@code address} (its envelope recipient: the
     * copies for bob and carol both carry the whole To header, so the header cannot tell them apart).
     */
    MimeMessage awaitMail(String address, String kind) throws Exception {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (true) {
            GreenMailUser user = nextHop.getUserManager().getUserByEmail(address);
            if (user != null) {
                for (StoredMessage stored : nextHop.getManagers()
                        .getImapHostManager()
                        .getInbox(user)
                        .getMessages()) {
                    MimeMessage message = stored.getMimeMessage();
                    if (kind.equals(message.getHeader("X-Todoke-Kind", null))) {
                        return message;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " mail for " + address + " within " + MAIL_WAIT);
            }
            nextHop.waitForIncomingEmail(200, nextHop.getReceivedMessages().length + 1);
        }
    }
}
