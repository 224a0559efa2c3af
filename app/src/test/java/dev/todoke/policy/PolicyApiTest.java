package dev.todoke.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.admin.AdminApiTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET}/{@code PUT /api/v1/admin/policies} over HTTP Basic (docs/api.md). */
class PolicyApiTest extends AdminApiTestBase {

    private static final String PATH = "/api/v1/admin/policies";

    private static final String SET = """
            {"defaults": {"tls": "link", "defaultExpiry": "P5D"},
             "recipientDomains": [{"domain": "Partner.Example", "settings": {"tls": "keep-if-verified"}},
                                  {"domain": "*.bank.example", "settings": {"maxExpiry": "P3D"}}],
             "senders": [{"address": "Taro@corp.example", "settings": {"defaultExpiry": "PT12H"}},
                         {"group": "legal", "settings": {"tls": "refuse-if-no-tls"}}]}
            """;

    @Test
    void putWhenIfMatchIsTheCurrentEtagThenReplacedCanonicalNewEtagAndAuditedWithBeforeAndAfter() throws Exception {
        HttpResponse<String> before = adminGet(PATH);
        String etag = before.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> put = adminPut(PATH, SET, "If-Match", etag);

        assertThat(put.statusCode()).isEqualTo(200);
        String newEtag = put.headers().firstValue("ETag").orElseThrow();
        assertThat(newEtag).isNotEqualTo(etag);
        JsonNode body = parse(put);
        assertThat(body.get("version").asLong())
                .isEqualTo(parse(before).get("version").asLong() + 1);
        assertThat(body.get("recipientDomains").get(0).get("domain").asString()).isEqualTo("partner.example");
        assertThat(body.get("senders").get(0).get("address").asString()).isEqualTo("taro@corp.example");
        assertThat(body.get("senders")
                        .get(0)
                        .get("settings")
                        .get("defaultExpiry")
                        .asString())
                .isEqualTo("PT12H");
        assertThat(body.get("defaults").get("defaultExpiry").asString()).isEqualTo("P5D");
        HttpResponse<String> after = adminGet(PATH);
        assertThat(after.headers().firstValue("ETag")).hasValue(newEtag);
        assertThat(after.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(parse(after).get("senders").get(1).get("group").asString()).isEqualTo("legal");
        String audit = jdbc.sql("select actor || ' ' || detail from audit_event where kind = 'policy-changed'"
                        + " order by id desc limit 1")
                .query(String.class)
                .single();
        assertThat(audit)
                .startsWith("admin:" + ADMIN + " {\"subject\":\"policies version "
                        + parse(before).get("version").asLong() + " -> ")
                .contains("\"before\":{\"defaults\":")
                .contains("\"after\":{\"defaults\":{\"tls\":\"link\",\"defaultExpiry\":\"P5D\"}");

        HttpResponse<String> roundTrip = adminPut(PATH, after.body(), "If-Match", newEtag);
        assertThat(roundTrip.statusCode()).isEqualTo(200);
        assertThat(parse(roundTrip).get("senders")).isEqualTo(parse(after).get("senders"));
    }

    @Test
    void putWhenEtagIsStaleThen412AndNothingChanges() throws Exception {
        String etag = adminGet(PATH).headers().firstValue("ETag").orElseThrow();
        assertThat(adminPut(PATH, "{}", "If-Match", etag).statusCode()).isEqualTo(200);
        String current = adminGet(PATH).body();

        HttpResponse<String> stale = adminPut(PATH, SET, "If-Match", etag);

        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(parse(stale).get("error").asString()).isEqualTo("policy-changed");
        assertThat(adminGet(PATH).body()).isEqualTo(current);
    }

    @Test
    void putWhenNoIfMatchThen428() throws Exception {
        HttpResponse<String> response = adminPut(PATH, SET);

        assertThat(response.statusCode()).isEqualTo(428);
        assertThat(response.body()).isEqualTo("{\"error\":\"if-match-required\"}");
    }

    @Test
    void putWhenInvalidThen400NamingThePathAndNothingChanges() throws Exception {
        HttpResponse<String> current = adminGet(PATH);
        String etag = current.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> badAction = adminPut(
                PATH,
                "{\"recipientDomains\": [{\"domain\": \"a.example\", \"settings\": {\"tls\": \"keep\"}}]}",
                "If-Match",
                etag);
        HttpResponse<String> unknownKey = adminPut(PATH, "{\"defaults\": {\"tlss\": \"link\"}}", "If-Match", etag);
        HttpResponse<String> notJson = adminPut(PATH, "{defaults", "If-Match", etag);
        HttpResponse<String> twoMatches =
                adminPut(PATH, "{\"senders\": [{\"address\": \"a@b.example\", \"group\": \"g\"}]}", "If-Match", etag);
        HttpResponse<String> badDuration =
                adminPut(PATH, "{\"defaults\": {\"maxExpiry\": \"7 days\"}}", "If-Match", etag);

        assertThat(badAction.statusCode()).isEqualTo(400);
        JsonNode error = parse(badAction);
        assertThat(error.get("error").asString()).isEqualTo("invalid-policy");
        assertThat(error.get("path").asString()).isEqualTo("recipientDomains[0].settings.tls");
        assertThat(error.get("message").asString()).contains("keep-if-verified");
        assertThat(parse(unknownKey).get("path").asString()).isEqualTo("defaults.tlss");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(parse(notJson).get("error").asString()).isEqualTo("invalid-policy");
        assertThat(parse(twoMatches).get("path").asString()).isEqualTo("senders[0]");
        assertThat(parse(badDuration).get("path").asString()).isEqualTo("defaults.maxExpiry");
        assertThat(adminGet(PATH).headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void putWhenHoldAndApprovalKeysThenStoredCanonicalAndBadOnesRefusedWithTheirPath() throws Exception {
        String etag = adminGet(PATH).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> badDelay = adminPut(PATH, "{\"defaults\": {\"holdDelay\": \"-PT1M\"}}", "If-Match", etag);
        HttpResponse<String> badApprover = adminPut(
                PATH,
                "{\"senders\": [{\"group\": \"legal\", \"settings\": {\"approver\": \"the boss\"}}]}",
                "If-Match",
                etag);
        assertThat(badDelay.statusCode()).isEqualTo(400);
        assertThat(parse(badDelay).get("path").asString()).isEqualTo("defaults.holdDelay");
        assertThat(parse(badApprover).get("path").asString()).isEqualTo("senders[0].settings.approver");

        HttpResponse<String> put = adminPut(
                PATH,
                "{\"recipientDomains\": [{\"domain\": \"bank.example\", \"settings\": {\"holdDelay\": \"PT15M\"}}],"
                        + " \"senders\": [{\"group\": \"legal\", \"settings\": {\"approval\": true,"
                        + " \"approver\": \"Counsel@Corp.Example\", \"selfCheck\": false}}]}",
                "If-Match",
                etag);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode stored = parse(adminGet(PATH));
        assertThat(stored.get("recipientDomains").get(0).get("settings").toString())
                .isEqualTo("{\"holdDelay\":\"PT15M\"}");
        assertThat(stored.get("senders").get(0).get("settings").toString())
                .isEqualTo("{\"approval\":true,\"approver\":\"counsel@corp.example\",\"selfCheck\":false}");
        assertThat(adminPut(PATH, "{}", "If-Match", "*").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsWhenNoCredentialsThen401() throws Exception {
        assertThat(get(PATH).statusCode()).isEqualTo(401);
    }
}
