package dev.todoke.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.transfer.MessageState;
import dev.todoke.web.TestRows;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The transfers of the admin API (docs/api.md): search, detail, revoke, expiry, over HTTP Basic. */
class AdminTransfersApiTest extends AdminApiTestBase {

    private final String domain = "s" + UUID.randomUUID().toString().substring(0, 8) + ".example";

    private HttpResponse<String> search(String query) throws Exception {
        return adminGet("/api/v1/admin/transfers?" + query);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(i -> i.get("id").asString()).toList();
    }

    private TestRows.Created message(String sender, String recipient, String subject, Instant at) {
        return TestRows.message(jdbc, store, at)
                .from(sender, sender)
                .subject(subject)
                .recipient(recipient)
                .file("a.txt", "a")
                .insert();
    }

    @Test
    void searchWhenFilteredThenOnlyTheMatchesNewestFirst() throws Exception {
        Instant now = clock.instant();
        TestRows.Created quote =
                message("taro@" + domain, "x@partner." + domain, "Re: 見積書 第３版", now.minus(Duration.ofDays(2)));
        TestRows.Created invoice =
                message("hana@" + domain, "y@other." + domain, "Invoice November", now.minus(Duration.ofDays(1)));
        TestRows.Created bill = message("TARO@" + domain, "z@other." + domain, "請求書", now);

        JsonNode bySender = parse(search("sender=" + q("Taro@" + domain.toUpperCase())));
        assertThat(ids(bySender))
                .containsExactly(bill.messageId().toString(), quote.messageId().toString());
        assertThat(bySender.get("total").asLong()).isEqualTo(2);
        assertThat(ids(parse(search("sender=" + q("@" + domain))))).hasSize(3);
        assertThat(ids(parse(search("recipient=" + q("partner." + domain)))))
                .containsExactly(quote.messageId().toString());
        assertThat(ids(parse(search("recipient=" + q("Y@other." + domain)))))
                .containsExactly(invoice.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&subject=" + q("見積書 第3")))))
                .containsExactly(quote.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&subject=" + q("invoice NOV")))))
                .containsExactly(invoice.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&subject=" + q("100%")))))
                .isEmpty();
        assertThat(ids(parse(search("sender=" + domain + "&from=" + now.minus(Duration.ofDays(1)) + "&to=" + now))))
                .containsExactly(invoice.messageId().toString());

        JsonNode item =
                parse(search("sender=" + domain + "&size=1")).get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo(bill.messageId().toString());
        assertThat(item.get("sender").asString()).isEqualTo("TARO@" + domain);
        assertThat(item.get("subject").asString()).isEqualTo("請求書");
        assertThat(item.get("state").asString()).isEqualTo("relayed");
        assertThat(item.get("createdAt").asString()).isEqualTo(now.toString());
        assertThat(item.get("files").asInt()).isEqualTo(1);
        assertThat(item.get("recipients").get(0).get("address").asString()).isEqualTo("z@other." + domain);
        assertThat(item.get("recipients").get(0).get("state").asString()).isEqualTo("active");
    }

    @Test
    void searchWhenStateGivenThenOnlyTransfersInThatState() throws Exception {
        Instant now = clock.instant();
        TestRows.Created failed = TestRows.message(jdbc, store, now)
                .from("a@" + domain, "a@" + domain)
                .recipient("r@example.com")
                .state(MessageState.FAILED)
                .insert();
        TestRows.Created expired = TestRows.message(jdbc, store, now.minus(Duration.ofDays(10)))
                .from("a@" + domain, "a@" + domain)
                .recipient("r@example.com")
                .insert();
        TestRows.Created active = message("a@" + domain, "r@example.com", "x", now);
        adminPost("/api/v1/admin/transfers/" + active.messageId() + "/revoke", "{}");
        TestRows.Created live = message("a@" + domain, "r@example.com", "y", now);

        assertThat(ids(parse(search("sender=" + domain + "&state=failed"))))
                .containsExactly(failed.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&state=expired"))))
                .containsExactly(expired.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&state=revoked"))))
                .containsExactly(active.messageId().toString());
        assertThat(ids(parse(search("sender=" + domain + "&state=active"))))
                .containsExactlyInAnyOrder(
                        active.messageId().toString(), live.messageId().toString());
    }

    @Test
    void searchWhenNoSizeThenPagesOf50AndTheTotal() throws Exception {
        Instant now = clock.instant();
        for (int i = 0; i < 51; i++) {
            TestRows.message(jdbc, store, now.minusSeconds(i))
                    .from("bulk@" + domain, "bulk@" + domain)
                    .recipient("r@example.com")
                    .insert();
        }

        JsonNode first = parse(search("sender=bulk@" + domain));
        JsonNode second = parse(search("sender=bulk@" + domain + "&page=1"));
        JsonNode small = parse(search("sender=bulk@" + domain + "&page=2&size=20"));

        assertThat(first.get("items")).hasSize(50);
        assertThat(first.get("total").asLong()).isEqualTo(51);
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("createdAt").asString())
                .isEqualTo(now.minusSeconds(50).toString());
        assertThat(small.get("items")).hasSize(11);
        assertThat(parse(search("sender=bulk@" + domain + "&size=500")).get("items"))
                .hasSize(51);
    }

    @Test
    void searchWhenParametersOutOfBoundsThen400() throws Exception {
        assertThat(search("size=501").statusCode()).isEqualTo(400);
        assertThat(search("size=501").body()).isEqualTo("{\"error\":\"invalid-size\"}");
        assertThat(search("size=0").statusCode()).isEqualTo(400);
        assertThat(search("page=-1").body()).isEqualTo("{\"error\":\"invalid-page\"}");
        assertThat(search("from=yesterday").body()).isEqualTo("{\"error\":\"invalid-from\"}");
        assertThat(search("to=2026-13-01").body()).isEqualTo("{\"error\":\"invalid-to\"}");
        assertThat(search("subject=x").body()).isEqualTo("{\"error\":\"subject-too-short\"}");
        assertThat(search("state=lost").statusCode()).isEqualTo(400);
        assertThat(parse(search("state=lost")).get("error").asString()).isEqualTo("invalid-state");
        assertThat(search("size=many").statusCode()).isEqualTo(400);
    }

    @Test
    void requestsWhenNoCredentialsThen401() throws Exception {
        assertThat(get("/api/v1/admin/transfers").statusCode()).isEqualTo(401);
        assertThat(postJson("/api/v1/admin/transfers/" + UUID.randomUUID() + "/revoke", "{}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void detailWhenDownloadedThenRecipientsFilesAndDownloadsWithClient() throws Exception {
        TestRows.Created created = rows().from("d@" + domain, "d@" + domain)
                .recipient("second@example.com")
                .insert();
        TestRows.Link link = created.link("hanako@example.com");
        String code = requestCode(link.token(), link.recipient());
        String session = cookie(
                postJson("/api/v1/d/" + link.token() + "/verify", "{\"code\":\"" + code + "\"}"), "todoke_session");
        getBytes(
                "/api/v1/d/" + link.token() + "/files/" + created.files().get(1).id(), "Cookie", session);

        HttpResponse<String> response = adminGet("/api/v1/admin/transfers/" + created.messageId());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = parse(response);
        assertThat(body.get("id").asString()).isEqualTo(created.messageId().toString());
        assertThat(body.get("sender").asString()).isEqualTo("d@" + domain);
        assertThat(body.get("subject").asString()).isEqualTo("見積書 / Quote");
        assertThat(body.get("maximumExpiry").asString())
                .isEqualTo(clock.instant().plus(Duration.ofDays(30)).toString());
        assertThat(body.get("files").valueStream().map(f -> f.get("name").asString()))
                .containsExactly("見積書.pdf", "notes.txt");
        JsonNode hanako = body.get("recipients").get(0);
        assertThat(hanako.get("address").asString()).isEqualTo("hanako@example.com");
        assertThat(hanako.get("state").asString()).isEqualTo("active");
        assertThat(hanako.has("tls")).isTrue();
        assertThat(hanako.get("downloads")).hasSize(1);
        JsonNode download = hanako.get("downloads").get(0);
        assertThat(download.get("fileId").asString())
                .isEqualTo(created.files().get(1).id().toString());
        assertThat(download.get("zip").asBoolean()).isFalse();
        assertThat(download.get("clientIp").asString()).isEqualTo("127.0.0.1");
        assertThat(body.get("recipients").get(1).get("downloads")).isEmpty();
    }

    @Test
    void detailWhenUnknownOrMalformedIdThen404() throws Exception {
        assertThat(adminGet("/api/v1/admin/transfers/" + UUID.randomUUID()).body())
                .isEqualTo("{\"error\":\"not-found\"}");
        assertThat(adminGet("/api/v1/admin/transfers/not-a-uuid").statusCode()).isEqualTo(404);
    }

    @Test
    void revokeWhenOneRecipientThenOnlyThatLinkAnswers410AuditedAndTheSenderIsTold() throws Exception {
        TestRows.Created created = rows().from("rv@" + domain, "rv@" + domain)
                .recipient("keep@example.com")
                .insert();

        HttpResponse<String> response = adminPost(
                "/api/v1/admin/transfers/" + created.messageId() + "/revoke", "{\"recipient\":\"HANAKO@example.com\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = parse(response);
        assertThat(body.get("id").asString()).isEqualTo(created.messageId().toString());
        assertThat(body.get("recipients").get(0).get("state").asString()).isEqualTo("revoked");
        assertThat(body.get("recipients").get(0).get("revokedAt").asString())
                .isEqualTo(clock.instant().toString());
        assertThat(body.get("recipients").get(1).get("state").asString()).isEqualTo("active");
        assertThat(get("/api/v1/d/" + created.link("hanako@example.com").token())
                        .statusCode())
                .isEqualTo(410);
        assertThat(get("/api/v1/d/" + created.link("keep@example.com").token()).statusCode())
                .isEqualTo(200);
        assertThat(jdbc.sql("select detail from audit_event where kind = 'link-revoked' and message_id = ?")
                        .param(created.messageId())
                        .query(String.class)
                        .list())
                .singleElement()
                .asString()
                .startsWith("by admin");
        assertThat(outbox().to("rv@" + domain).stream().filter(m -> "admin-change".equals(m.kind())))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.subject()).contains("管理者による変更").contains("見積書 / Quote");
                    assertThat(m.text()).contains("Links revoked").contains("件名 / Subject: 見積書 / Quote");
                    assertThat(m.text()).doesNotContain("keep@example.com");
                    assertThat(m.html()).contains("hanako@example.com");
                });
    }

    @Test
    void revokeWhenEmptyBodyThenAllAndUnknownRecipient404() throws Exception {
        TestRows.Created created = rows().recipient("also@example.com").insert();
        String path = "/api/v1/admin/transfers/" + created.messageId() + "/revoke";

        assertThat(adminPost(path, "{\"recipient\":\"nobody@example.com\"}").body())
                .isEqualTo("{\"error\":\"unknown-recipient\"}");
        HttpResponse<String> response = adminPost(path, "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response)
                        .get("recipients")
                        .valueStream()
                        .map(r -> r.get("state").asString()))
                .containsOnly("revoked");
    }

    @Test
    void expiryWhenWithinTheMaximumThenMovedAuditedAndTheSenderIsTold() throws Exception {
        TestRows.Created created = rows().from("ex@" + domain, "ex@" + domain).insert();
        Instant later = clock.instant().plus(Duration.ofDays(20));
        String path = "/api/v1/admin/transfers/" + created.messageId() + "/expiry";

        HttpResponse<String> response = adminPost(path, "{\"expiresAt\":\"" + later + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response).get("expiresAt").asString()).isEqualTo(later.toString());
        assertThat(parse(get("/api/v1/d/" + created.firstLink().token()))
                        .get("expiresAt")
                        .asString())
                .isEqualTo(later.toString());
        assertThat(jdbc.sql("select detail from audit_event where kind = 'expiry-changed' and message_id = ?")
                        .param(created.messageId())
                        .query(String.class)
                        .single())
                .contains(" by admin");
        assertThat(outbox().to("ex@" + domain).stream().filter(m -> "admin-change".equals(m.kind())))
                .singleElement()
                .satisfies(m -> assertThat(m.text())
                        .contains("Expiry changed")
                        .contains(later.toString().substring(0, 10))
                        .doesNotContain("Links revoked"));
        assertThat(parse(adminPost(path, "{\"expiresAt\":\"" + clock.instant().plus(Duration.ofDays(31)) + "\"}"))
                        .get("error")
                        .asString())
                .isEqualTo("past-maximum");
        assertThat(adminPost(path, "{\"expiresAt\":\"soon\"}").statusCode()).isEqualTo(400);
    }
}
