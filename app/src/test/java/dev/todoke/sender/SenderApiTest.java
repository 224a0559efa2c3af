package dev.todoke.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.TestRows;
import dev.todoke.web.WebAppTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The sender's JSON API contract (docs/api.md) and the audit trail it leaves. */
class SenderApiTest extends WebAppTest {

    @Test
    void showWhenDownloadedThenFilesRecipientsStatesAndDownloads() throws Exception {
        TestRows.Created created = rows().recipient("second@example.com").insert();
        TestRows.Link link = created.link("hanako@example.com");
        String code = requestCode(link.token(), link.recipient());
        HttpResponse<String> verified =
                postJson("/api/v1/d/" + link.token() + "/verify", "{\"code\":\"" + code + "\"}");
        String session = cookie(verified, "todoke_session");
        getBytes(
                "/api/v1/d/" + link.token() + "/files/" + created.files().get(1).id(), "Cookie", session);

        HttpResponse<String> response = get("/api/v1/s/" + created.manageToken());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = parse(response);
        assertThat(body.get("createdAt").asString()).isEqualTo(clock.instant().toString());
        assertThat(body.get("expiresAt").asString())
                .isEqualTo(clock.instant().plus(Duration.ofDays(7)).toString());
        assertThat(body.get("files")).hasSize(2);
        assertThat(body.get("files").get(0).get("name").asString()).isEqualTo("見積書.pdf");
        assertThat(body.get("files").get(0).get("sha256").asString())
                .isEqualTo(created.files().get(0).sha256());
        JsonNode recipients = body.get("recipients");
        assertThat(recipients).hasSize(2);
        JsonNode hanako = recipients.get(0);
        assertThat(hanako.get("address").asString()).isEqualTo("hanako@example.com");
        assertThat(hanako.get("state").asString()).isEqualTo("active");
        assertThat(hanako.get("downloads")).hasSize(1);
        assertThat(hanako.get("downloads").get(0).get("fileId").asString())
                .isEqualTo(created.files().get(1).id().toString());
        assertThat(hanako.get("downloads").get(0).get("at").asString())
                .isEqualTo(clock.instant().toString());
        assertThat(recipients.get(1).get("downloads")).isEmpty();
    }

    @Test
    void showWhenUnknownThen404() throws Exception {
        HttpResponse<String> response = get("/api/v1/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not-found\"}");
    }

    @Test
    void revokeWhenOneRecipientThenOnlyThatLinkIsRevokedAndAudited() throws Exception {
        TestRows.Created created = rows().recipient("keep@example.com").insert();

        HttpResponse<String> response =
                postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{\"recipient\":\"HANAKO@example.com\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode recipients = parse(response).get("recipients");
        assertThat(recipients.get(0).get("state").asString()).isEqualTo("revoked");
        assertThat(recipients.get(1).get("state").asString()).isEqualTo("active");
        assertThat(get("/api/v1/d/" + created.link("keep@example.com").token()).statusCode())
                .isEqualTo(200);
        assertThat(jdbc.sql("select actor || ' ' || address from audit_event where kind = 'link-revoked'"
                                + " and message_id = ?")
                        .param(created.messageId())
                        .query(String.class)
                        .list())
                .containsExactly("sender:taro@corp.example hanako@example.com");
    }

    @Test
    void revokeWhenEmptyBodyThenAllRevoked() throws Exception {
        TestRows.Created created = rows().recipient("also@example.com").insert();

        HttpResponse<String> response = postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response)
                        .get("recipients")
                        .valueStream()
                        .map(r -> r.get("state").asString()))
                .containsOnly("revoked");
    }

    @Test
    void revokeWhenUnknownRecipientThen404() throws Exception {
        TestRows.Created created = rows().insert();

        HttpResponse<String> response =
                postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{\"recipient\":\"nobody@example.com\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"unknown-recipient\"}");
    }

    @Test
    void expiryWhenWithinMaximumThen200AndAppliesToTheLink() throws Exception {
        TestRows.Created created = rows().insert();
        Instant later = clock.instant().plus(Duration.ofDays(20));

        HttpResponse<String> response =
                postJson("/api/v1/s/" + created.manageToken() + "/expiry", "{\"expiresAt\":\"" + later + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response).get("expiresAt").asString()).isEqualTo(later.toString());
        assertThat(parse(get("/api/v1/d/" + created.firstLink().token()))
                        .get("expiresAt")
                        .asString())
                .isEqualTo(later.toString());
        assertThat(jdbc.sql("select count(*) from audit_event where kind = 'expiry-changed' and message_id = ?")
                        .param(created.messageId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void expiryWhenShortenedToTheNearFutureThenLinkExpiresThen() throws Exception {
        TestRows.Created created = rows().insert();
        Instant soon = clock.instant().plus(Duration.ofMinutes(5));

        postJson("/api/v1/s/" + created.manageToken() + "/expiry", "{\"expiresAt\":\"" + soon + "\"}");
        clock.advance(Duration.ofMinutes(6));

        assertThat(get("/api/v1/d/" + created.firstLink().token()).body()).isEqualTo("{\"error\":\"expired\"}");
        assertThat(parse(get("/api/v1/s/" + created.manageToken()))
                        .get("recipients")
                        .get(0)
                        .get("state")
                        .asString())
                .isEqualTo("expired");
    }

    @Test
    void expiryWhenPastTheMaximumOrNotInTheFutureOrUnreadableThen400() throws Exception {
        TestRows.Created created =
                rows().createdAt(clock.instant().minus(Duration.ofDays(1))).insert();
        String path = "/api/v1/s/" + created.manageToken() + "/expiry";
        Instant maximum = clock.instant().minus(Duration.ofDays(1)).plus(Duration.ofDays(30));

        HttpResponse<String> tooLate = postJson(path, "{\"expiresAt\":\"" + maximum.plusSeconds(1) + "\"}");
        HttpResponse<String> atMaximum = postJson(path, "{\"expiresAt\":\"" + maximum + "\"}");
        HttpResponse<String> past = postJson(path, "{\"expiresAt\":\"" + clock.instant() + "\"}");
        HttpResponse<String> garbage = postJson(path, "{\"expiresAt\":\"tomorrow\"}");
        HttpResponse<String> notJson = postJson(path, "expiresAt=tomorrow");

        assertThat(tooLate.statusCode()).isEqualTo(400);
        assertThat(parse(tooLate).get("error").asString()).isEqualTo("past-maximum");
        assertThat(atMaximum.statusCode()).isEqualTo(200);
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(parse(past).get("error").asString()).isEqualTo("not-in-future");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("{\"error\":\"bad-request\"}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(parse(notJson).get("error").asString()).isEqualTo("bad-request");
    }

    @Test
    void pageWhenShownThenRecipientsAndFormsWithCsrfAndRevokeFormWorks() throws Exception {
        TestRows.Created created = rows().insert();
        String path = "/s/" + created.manageToken();

        HttpResponse<String> page = get(path, "Accept-Language", "en");
        String csrfCookie = cookie(page, "todoke_csrf");
        var matcher = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(matcher.find()).isTrue();
        String field = java.net.URLEncoder.encode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("hanako@example.com", "見積書.pdf", "Withdraw all links", "Asia/Tokyo");
        assertThat(postForm(path + "/revoke", "recipient=hanako%40example.com").statusCode())
                .isEqualTo(403);
        HttpResponse<String> revoked =
                postForm(path + "/revoke", "_csrf=" + field + "&recipient=hanako%40example.com", "Cookie", csrfCookie);
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(get("/api/v1/d/" + created.firstLink().token()).statusCode()).isEqualTo(410);

        HttpResponse<String> badExpiry =
                postForm(path + "/expiry", "_csrf=" + field + "&expiresAt=2099-01-01T00:00", "Cookie", csrfCookie);
        assertThat(badExpiry.statusCode()).isEqualTo(400);
        assertThat(badExpiry.body()).contains("That is later than the longest expiry allowed.");
    }
}
