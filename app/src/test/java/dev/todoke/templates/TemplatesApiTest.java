package dev.todoke.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.console.ConsoleAppTest;
import dev.todoke.web.TestRows;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/admin/templates} and {@code /api/v1/admin/branding} on the running application. */
class TemplatesApiTest extends ConsoleAppTest {

    static final String AUTH = ADMIN_AUTH;

    /** A 1x1 PNG. */
    static final byte[] PNG = Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    @AfterEach
    void clean() {
        jdbc.sql("delete from mail_template").update();
        jdbc.sql("delete from mail_branding").update();
    }

    private String body(String text) {
        return json.createObjectNode().put("body", text).toString();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Authorization", AUTH)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listWhenNothingEditedThenEveryTemplateBuiltIn() throws Exception {
        HttpResponse<String> response = get("/api/v1/admin/templates", "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        var items = parse(response).get("items");
        assertThat(items).hasSize(MailTemplates.NAMES.size());
        assertThat(items.get(0).get("name").asString()).isEqualTo("notice.txt");
        assertThat(items.get(0).get("edited").asBoolean()).isFalse();
    }

    @Test
    void putWhenTemplateReachesForCodeThen400WithDetailAndNothingSaved() throws Exception {
        HttpResponse<String> response = send(
                "PUT",
                "/api/v1/admin/templates/passcode.html",
                body("<p th:text=\"${T(java.lang.Runtime).getRuntime().exec('id')}\">x</p>"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(parse(response).get("error").asString()).isEqualTo("invalid-template");
        assertThat(parse(response).get("detail").asString()).contains("TypeReference");
        assertThat(jdbc.sql("select count(*) from mail_template")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void putWhenTemplateDoesNotRenderThen400() throws Exception {
        HttpResponse<String> response = send("PUT", "/api/v1/admin/templates/passcode.txt", body("[(${code.foo})]"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(parse(response).get("error").asString()).isEqualTo("invalid-template");
    }

    @Test
    void putWhenValidThenNextPasscodeMailUsesItAndResetRestoresTheBuiltIn() throws Exception {
        HttpResponse<String> saved = send(
                "PUT",
                "/api/v1/admin/templates/passcode.txt",
                body("Ihr Code / Your code: [(${code})] ([(${minutes})] min)"));
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(parse(saved).get("edited").asBoolean()).isTrue();
        assertThat(parse(saved).get("builtIn").asString()).contains("Todoke 確認コード");
        assertThat(send("PUT", "/api/v1/admin/templates/passcode-subject.txt", body("Code for [(${organisation})]"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", "/api/v1/admin/branding", "{\"organisation\": \"Example 株式会社\"}")
                        .statusCode())
                .isEqualTo(200);

        TestRows.Created created = rows().recipient("templated@example.com").insert();
        String code = requestCode(created.link("templated@example.com").token(), "templated@example.com");
        var mail = outbox().to("templated@example.com").getLast();
        assertThat(mail.text()).contains("Ihr Code / Your code: " + code + " (10 min)");
        assertThat(mail.subject()).isEqualTo("Code for Example 株式会社");

        HttpResponse<String> reset = send("DELETE", "/api/v1/admin/templates/passcode.txt", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(parse(reset).get("edited").asBoolean()).isFalse();
        assertThat(jdbc.sql("select count(*) from audit_event where kind in ('template-changed', 'template-reset')")
                        .query(Integer.class)
                        .single())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void previewWhenDraftThenRenderedWithSampleAndNotSaved() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/api/v1/admin/templates/notice.html/preview",
                body("<p>[[${sender}]]</p><ul><li th:each=\"f : ${files}\">[[${f.name()}]]</li></ul>"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response).get("rendered").asString())
                .contains("佐藤 花子 &lt;hanako.sato@example.co.jp&gt;", "<li>見積書.pdf</li>");
        assertThat(get("/api/v1/admin/templates/notice.html", "Authorization", AUTH)
                        .body())
                .contains("\"edited\":false");
    }

    @Test
    void logoWhenUploadedThenServedWithoutSignInAndLinkedFromHtmlMails() throws Exception {
        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/branding/logo"))
                        .header("Authorization", AUTH)
                        .header("Content-Type", "image/png")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(PNG))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(200);
        String logoUrl = parse(uploaded).get("logoUrl").asString();
        assertThat(logoUrl).startsWith("/brand/logo?v=");

        HttpResponse<byte[]> logo = getBytes(logoUrl);
        assertThat(logo.statusCode()).isEqualTo(200);
        assertThat(logo.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(logo.body()).isEqualTo(PNG);

        HttpResponse<String> preview = send("POST", "/api/v1/admin/templates/passcode.html/preview", "{}");
        assertThat(parse(preview).get("rendered").asString()).contains(logoUrl);
    }

    @Test
    void logoWhenNotAnImageOrTooLargeThen400() throws Exception {
        for (byte[] bytes :
                new byte[][] {"<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8), new byte[200_000]}) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri("/api/v1/admin/branding/logo"))
                            .header("Authorization", AUTH)
                            .header("Content-Type", "image/svg+xml")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(parse(response).get("error").asString()).isEqualTo("invalid-logo");
        }
        assertThat(getBytes("/brand/logo").statusCode()).isEqualTo(404);
    }

    @Test
    void apiWhenNoCredentialsThen401() throws Exception {
        assertThat(get("/api/v1/admin/templates").statusCode()).isEqualTo(401);
    }
}
