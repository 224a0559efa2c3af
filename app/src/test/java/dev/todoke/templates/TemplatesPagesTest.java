package dev.todoke.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.console.ConsoleAppTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's template pages: list, edit, preview, refuse, reset, organisation. */
class TemplatesPagesTest extends ConsoleAppTest {

    @AfterEach
    void clean() {
        jdbc.sql("delete from mail_template").update();
        jdbc.sql("delete from mail_branding").update();
    }

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
    void listWhenEnglishThenEveryTemplateWithItsStateAndTheNav() throws Exception {
        var response = adminGet("/admin/templates?lang=en");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Mail templates", "Dashboard", "Transfers", "Audit log", "Policies")
                .contains("passcode-subject.txt", "download.html", "Built-in")
                .contains("href=\"/admin/templates/notice.html\"");
    }

    @Test
    void editWhenSavedThenStoredAndShownAsEditedAndResetRestoresIt() throws Exception {
        var saved = adminForm(
                "/admin/templates/download.txt",
                form("body", "[(${recipient})] hat [(${file})] geladen.\r\n", "action", "save"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/templates/download.txt?saved"));
        assertThat(jdbc.sql("select body from mail_template where name = 'download.txt'")
                        .query(String.class)
                        .single())
                .isEqualTo("[(${recipient})] hat [(${file})] geladen.\n");

        var page = adminGet("/admin/templates/download.txt?saved&lang=en");
        assertThat(page.body()).contains("Saved.", "Edited", "hat [(${file})] geladen.", "Reset to the built-in text");

        assertThat(adminForm("/admin/templates/download.txt/reset", "").statusCode())
                .isEqualTo(302);
        assertThat(jdbc.sql("select count(*) from mail_template")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void editWhenTemplateRefusedThen400WithTheProblemAndTheDraftKept() throws Exception {
        var response = adminForm(
                "/admin/templates/notice.html",
                form("body", "<p th:text=\"${@dataSource}\">x</p>", "action", "save", "lang", "en"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains("The template was not saved", "BeanReference")
                .contains("&lt;p th:text=&quot;${@dataSource}&quot;&gt;x&lt;/p&gt;");
        assertThat(jdbc.sql("select count(*) from mail_template")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void previewWhenHtmlDraftThenRenderedWithSampleInASandboxedFrameAndNotSaved() throws Exception {
        var response = adminForm(
                "/admin/templates/passcode.html", form("body", "<p>Code <b>[[${code}]]</b></p>", "action", "preview"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("sandbox=\"\"", "srcdoc=\"&lt;p&gt;Code &lt;b&gt;123456&lt;/b&gt;&lt;/p&gt;\"");
        assertThat(jdbc.sql("select count(*) from mail_template")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void organisationWhenSavedThenShownOnTheListAndInTheNextRender() throws Exception {
        assertThat(adminForm("/admin/branding", form("organisation", "Example 株式会社"))
                        .statusCode())
                .isEqualTo(302);

        assertThat(adminGet("/admin/templates").body()).contains("value=\"Example 株式会社\"");
        var preview = adminSend("POST", "/api/v1/admin/templates/notice.txt/preview", "application/json", "{}");
        assertThat(parse(preview).get("rendered").asString()).startsWith("---- Todoke ----\nExample 株式会社\n");
    }
}
