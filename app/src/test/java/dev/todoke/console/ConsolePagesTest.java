package dev.todoke.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.TestRows;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's transfer and policy pages on the running application, as the local admin. */
class ConsolePagesTest extends ConsoleAppTest {

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(form.isEmpty() ? "" : "&")
                    .append(pairs[i])
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    @Test
    void transfersWhenSearchedBySenderThenFoundAndOneRecipientRevokedFromItsPage() throws Exception {
        TestRows.Created created = rows().from("pages-sender@corp.example", "Pages <pages-sender@corp.example>")
                .recipient("other@example.net")
                .insert();

        var list = adminGet("/admin/transfers?sender=pages-sender@corp.example&lang=en");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body())
                .contains("1 transfer(s)", "pages-sender@corp.example", "hanako@example.com", "other@example.net")
                .contains("href=\"/admin/transfers/" + created.messageId() + "\"");

        String path = "/admin/transfers/" + created.messageId();
        var page = adminGet(path + "?lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("見積書.pdf", "notes.txt", "data-recipient=\"other@example.net\"", "Withdraw");

        var revoked = adminForm(path + "/revoke", form("recipient", "other@example.net"));
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(jdbc.sql("select state from link where id = ?")
                        .param(created.link("other@example.net").id())
                        .query(String.class)
                        .single())
                .isEqualTo("revoked");
        assertThat(jdbc.sql("select state from link where id = ?")
                        .param(created.link("hanako@example.com").id())
                        .query(String.class)
                        .single())
                .isEqualTo("active");

        var late = adminForm(path + "/expiry", form("expiresAt", "2099-01-01T00:00", "lang", "en"));
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("role=\"alert\"");
    }

    @Test
    void policiesWhenSavedWithTheShownEtagThenSavedAndWithAStaleOneThenConflict() throws Exception {
        var page = adminGet("/admin/policies?lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        String etag = value(page.body(), "name=\"etag\" value=\"");
        String body = parse(adminGet("/api/v1/admin/policies")).toString();

        var saved = adminForm("/admin/policies", form("etag", etag, "body", body));
        assertThat(saved.statusCode()).isEqualTo(303);

        var stale = adminForm("/admin/policies", form("etag", etag, "body", body, "lang", "en"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Someone saved the policies in the meantime");

        var invalid = adminForm("/admin/policies", form("etag", "*", "body", "{not json", "lang", "en"));
        assertThat(invalid.statusCode()).isEqualTo(400);
    }

    private static String value(String html, String prefix) {
        int start = html.indexOf(prefix) + prefix.length();
        return html.substring(start, html.indexOf('"', start)).replace("&quot;", "\"");
    }
}
