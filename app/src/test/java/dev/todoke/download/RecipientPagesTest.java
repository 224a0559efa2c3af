package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.TestRows;
import dev.todoke.web.WebAppTest;
import dev.todoke.zk.ZeroKnowledgeKeys;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The recipient's HTML pages: what they show, in which language, and the form flow with CSRF. */
class RecipientPagesTest extends WebAppTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Test
    void showWhenActiveThenSenderExpiryCountAndNoFileNames() throws Exception {
        TestRows.Created created = rows().insert();

        HttpResponse<String> page = get("/d/" + created.firstLink().token(), "Accept-Language", "en-US,en;q=0.8");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body())
                .contains("taro@corp.example", "h***@example.com", "2026-", "Mail me a passcode", "lang=\"en\"")
                .doesNotContain("見積書", "notes.txt", "hanako@example.com");
    }

    @Test
    void showWhenZeroKnowledgeThenOwnScriptOnlyAndNoJavaScriptFallbackExplained() throws Exception {
        TestRows.Created created = rows().insert();
        new ZeroKnowledgeKeys(jdbc)
                .record(
                        created.messageId(),
                        java.util.Map.of(created.firstLink().id(), new byte[60]));
        TestRows.Created standard = rows().insert();

        HttpResponse<String> page = get("/d/" + created.firstLink().token(), "Accept-Language", "en");
        HttpResponse<String> plain = get("/d/" + standard.firstLink().token(), "Accept-Language", "en");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("default-src 'none'", "script-src 'self';")
                        .doesNotContain("unsafe", "http"));
        assertThat(page.body()).contains("src=\"/zk.js\"", "<noscript>", "impossible by design");
        assertThat(plain.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).doesNotContain("script-src"));
        assertThat(plain.body()).doesNotContain("zk.js");
        assertThat(get("/zk.js").statusCode()).isEqualTo(200);
    }

    @Test
    void showWhenAcceptLanguageJapaneseThenJapaneseAndSwitchToEnglishSticks() throws Exception {
        TestRows.Created created = rows().insert();
        String path = "/d/" + created.firstLink().token();

        HttpResponse<String> japanese = get(path, "Accept-Language", "ja-JP,ja;q=0.9,en;q=0.5");
        HttpResponse<String> switched = get(path + "?lang=en", "Accept-Language", "ja");
        String langCookie = cookie(switched, "todoke_lang");
        HttpResponse<String> after = get(path, "Accept-Language", "ja", "Cookie", langCookie);

        assertThat(japanese.body()).contains("確認コードをメールで受け取る", "lang=\"ja\"", "?lang=en");
        assertThat(switched.body()).contains("Mail me a passcode");
        assertThat(after.body()).contains("Mail me a passcode");
    }

    @Test
    void showWhenRevokedExpiredOrUnknownThenClearPages() throws Exception {
        TestRows.Created revoked = rows().insert();
        postJson("/api/v1/s/" + revoked.manageToken() + "/revoke", "{}");
        TestRows.Created expired =
                rows().lifetime(java.time.Duration.ofSeconds(1)).insert();
        clock.advance(java.time.Duration.ofSeconds(2));

        HttpResponse<String> revokedPage = get("/d/" + revoked.firstLink().token(), "Accept-Language", "en");
        HttpResponse<String> expiredPage = get("/d/" + expired.firstLink().token(), "Accept-Language", "ja");
        HttpResponse<String> unknownPage = get("/d/nosuchtokennosuchtokennosuchtoken", "Accept-Language", "en");

        assertThat(revokedPage.statusCode()).isEqualTo(410);
        assertThat(revokedPage.body()).contains("This link was withdrawn").doesNotContain("Exception");
        assertThat(expiredPage.statusCode()).isEqualTo(410);
        assertThat(expiredPage.body()).contains("このリンクは期限切れです");
        assertThat(unknownPage.statusCode()).isEqualTo(404);
        assertThat(unknownPage.body()).contains("Link not found");
    }

    @Test
    void postCodeWhenNoCsrfFieldThen403AndNoMail() throws Exception {
        TestRows.Created created = rows().recipient("csrf@example.com").insert();

        HttpResponse<String> response =
                postForm("/d/" + created.link("csrf@example.com").token() + "/code", "");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(outbox().to("csrf@example.com")).isEmpty();
    }

    @Test
    void formsWhenFollowedThenCodeMailedVerifiedAndFilesListed() throws Exception {
        TestRows.Created created = rows().recipient("forms@example.com").insert();
        String path = "/d/" + created.link("forms@example.com").token();
        HttpResponse<String> landing = get(path, "Accept-Language", "en");
        String csrfCookie = cookie(landing, "todoke_csrf");
        String field = csrfField(landing.body());

        HttpResponse<String> sent = postForm(path + "/code", "_csrf=" + enc(field), "Cookie", csrfCookie);
        assertThat(sent.statusCode()).isEqualTo(303);
        assertThat(sent.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith(path + "?sent=1"));
        var mails = outbox().to("forms@example.com");
        assertThat(mails).hasSize(1);
        String code = codeIn(mails.get(0).text());

        HttpResponse<String> wrong = postForm(
                path + "/verify",
                "_csrf=" + enc(field) + "&code=" + (code.equals("999999") ? "111111" : "999999"),
                "Cookie",
                csrfCookie,
                "Accept-Language",
                "en");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That passcode is not right.", "4 tries left.");

        HttpResponse<String> verified =
                postForm(path + "/verify", "_csrf=" + enc(field) + "&code=" + code, "Cookie", csrfCookie);
        assertThat(verified.statusCode()).isEqualTo(303);
        String session = cookie(verified, "todoke_session");

        HttpResponse<String> files = get(path, "Cookie", session + "; " + csrfCookie, "Accept-Language", "en");
        assertThat(files.body())
                .contains("見積書.pdf", "notes.txt", created.files().get(0).sha256(), path + "/zip");
        HttpResponse<byte[]> download =
                getBytes(path + "/files/" + created.files().get(1).id(), "Cookie", session);
        assertThat(download.body()).isEqualTo(created.files().get(1).bytes());
    }

    @Test
    void downloadPageWhenNoSessionThen401Page() throws Exception {
        TestRows.Created created = rows().insert();

        HttpResponse<String> response = get("/d/" + created.firstLink().token() + "/zip", "Accept-Language", "en");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Please confirm your address first");
    }

    private static String csrfField(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        assertThat(matcher.find()).as("csrf field in the page").isTrue();
        return matcher.group(1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
