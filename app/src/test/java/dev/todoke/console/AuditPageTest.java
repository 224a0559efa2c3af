package dev.todoke.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The console's audit log page on the running application, as the local admin. */
class AuditPageTest extends ConsoleAppTest {

    @Autowired
    AuditLog audit;

    @Test
    void auditWhenOlderRowsThenPagedByIdAndTheTransferFilterLinksBack() throws Exception {
        java.util.UUID transfer = java.util.UUID.randomUUID();
        for (int i = 0; i < AuditPageController.PAGE_SIZE + 3; i++) {
            audit.record("paged-test-event", transfer, null, "p@example.com", null, "row " + i);
        }

        var first = adminGet("/admin/audit?transfer=" + transfer + "&lang=en");
        assertThat(first.body()).contains("53 row(s)", "row 52", "Older").doesNotContain("row 2<");
        String older = first.body()
                .replaceAll("(?s).*href=\"([^\"]*before=[0-9]+)\".*", "$1")
                .replace("&amp;", "&");

        var second = adminGet(older + "&lang=en");
        assertThat(second.body()).contains("row 2", "row 0", "Newest").doesNotContain("row 52");
    }

    @Test
    void auditWhenFilteredByActionThenRowsCsvLinkWithTheSameFiltersAndVerification() throws Exception {
        audit.record("console-test-event", null, null, "someone@example.com", "192.0.2.7", "detail 1");

        var page = adminGet("/admin/audit?action=console-test-event&verify=1&lang=en");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("console-test-event", "someone@example.com", "192.0.2.7", "detail 1")
                .contains("href=\"/api/v1/admin/audit.csv?action=console-test-event\"")
                .contains("The chain holds");
        assertThat(adminGet("/api/v1/admin/audit.csv?action=console-test-event").body())
                .contains("console-test-event");
    }
}
