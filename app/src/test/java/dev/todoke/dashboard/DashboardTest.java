package dev.todoke.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.audit.AuditLog;
import dev.todoke.console.ConsoleAppTest;
import dev.todoke.web.TestRows;
import java.sql.Timestamp;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The dashboard page and its JSON on the running application, over rows written to the database. */
class DashboardTest extends ConsoleAppTest {

    private JsonNode totals() throws Exception {
        var response = adminGet("/api/v1/admin/dashboard?days=7");
        assertThat(response.statusCode()).isEqualTo(200);
        return parse(response).get("totals");
    }

    @Autowired
    AuditLog audit;

    private void event(String kind, String detail) {
        audit.record(kind, null, null, "x@dash.example", null, detail);
    }

    @Test
    void jsonWhenMailsDownloadsFailuresAndRefusalsThenCountedInToday() throws Exception {
        JsonNode before = totals();
        TestRows.Created created = TestRows.message(jdbc, store, clock.instant())
                .recipient("a@dash.example")
                .recipient("b@dash.example")
                .file("a.txt", "12345")
                .file("b.txt", "1234567890")
                .insert();
        jdbc.sql("insert into download (link_id, file_id, at, client_ip) values (?, ?, ?, '192.0.2.1')")
                .params(
                        created.link("a@dash.example").id(),
                        created.files().get(0).id(),
                        Timestamp.from(clock.instant()))
                .update();
        event("code-failed", "wrong");
        event("code-failed", "wrong");
        event("code-locked", null);
        event("mail-refused", "550 5.7.1 refused");

        JsonNode after = totals();

        assertThat(after.get("mails").asLong() - before.get("mails").asLong()).isEqualTo(1);
        assertThat(after.get("files").asLong() - before.get("files").asLong()).isEqualTo(2);
        assertThat(after.get("bytes").asLong() - before.get("bytes").asLong()).isEqualTo(15);
        assertThat(after.get("downloads").asLong() - before.get("downloads").asLong())
                .isEqualTo(1);
        assertThat(after.get("codeFailures").asLong()
                        - before.get("codeFailures").asLong())
                .isEqualTo(2);
        assertThat(after.get("lockouts").asLong() - before.get("lockouts").asLong())
                .isEqualTo(1);
        assertThat(after.get("refused").asLong() - before.get("refused").asLong())
                .isEqualTo(1);
        JsonNode domains = parse(adminGet("/api/v1/admin/dashboard?days=7")).get("topDomains");
        assertThat(domains.toString()).contains("{\"domain\":\"dash.example\",\"links\":2,\"tls\":\"unknown\"}");
    }

    @Test
    void pageWhenJapaneseThenChartsAsInlineSvgAndTheNumbersAsTables() throws Exception {
        TestRows.message(jdbc, store, clock.instant())
                .recipient("page-" + UUID.randomUUID() + "@chart.example")
                .file("c.txt", "x")
                .insert();

        var response = adminGet("/admin?days=7", "Accept-Language", "ja");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("ダッシュボード", "日ごとのメールとファイル", "主な宛先ドメインの TLS 判定")
                .contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"")
                .contains("chart.example")
                .contains("id=\"days\"")
                .doesNotContain("<script");
        assertThat(response.body().split("<svg ", -1)).hasSize(8);
        assertThat(adminGet("/admin/dashboard?lang=en").body()).contains("Mails and files per day", "Not checked yet");
    }
}
