package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The security headers on every kind of answer: pages, JSON, downloads, errors, static files, health. */
class SecurityHeadersTest extends WebAppTest {

    @Test
    void headersWhenAnyAnswerThenNoStoreNoReferrerCspFrameDenialAndNosniff() throws Exception {
        TestRows.Created created = rows().insert();
        String token = created.firstLink().token();
        String code = requestCode(token, created.firstLink().recipient());
        HttpResponse<String> verified = postJson("/api/v1/d/" + token + "/verify", "{\"code\":\"" + code + "\"}");
        String session = cookie(verified, "todoke_session");

        for (HttpResponse<?> response : new HttpResponse<?>[] {
            get("/d/" + token),
            get("/api/v1/d/" + token),
            verified,
            getBytes("/api/v1/d/" + token + "/files/" + created.files().get(0).id(), "Cookie", session),
            getBytes("/api/v1/d/" + token + "/zip", "Cookie", session),
            get("/d/nosuchtokennosuchtokennosuchtoken"),
            get("/api/v1/d/nosuchtokennosuchtokennosuchtoken"),
            get("/no/such/page"),
            get("/todoke.css"),
            get("/s/" + created.manageToken()),
            get("/actuator/health"),
        }) {
            var headers = response.headers();
            String what = response.request().method() + " " + response.statusCode();
            assertThat(headers.firstValue("Cache-Control")).as(what).contains("no-store");
            assertThat(headers.firstValue("Referrer-Policy")).as(what).contains("no-referrer");
            assertThat(headers.firstValue("X-Frame-Options")).as(what).contains("DENY");
            assertThat(headers.firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
            assertThat(headers.firstValue("Content-Security-Policy"))
                    .as(what)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"));
        }
    }

    @Test
    void errorsWhenAnythingFailsThenNoStackTraceOrInternals() throws Exception {
        HttpResponse<String> badJson = postJson("/api/v1/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/expiry", "{");
        HttpResponse<String> wrongMethod = get("/api/v1/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/verify");
        HttpResponse<String> notFound = get("/api/v1/nothing");

        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).isEqualTo("{\"error\":\"bad-request\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"method-not-allowed\"}");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("{\"error\":\"not-found\"}");
    }
}
