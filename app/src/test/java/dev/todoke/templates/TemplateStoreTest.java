package dev.todoke.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.Databases;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The V6 tables through {@link TemplateStore} on H2 and PostgreSQL. */
class TemplateStoreTest {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static void check(DataSource dataSource) {
        TemplateStore store = new TemplateStore(JdbcClient.create(dataSource));
        assertThat(store.snapshot()).isEqualTo(MailTemplates.Snapshot.NONE);

        store.save("notice.txt", "one", "admin", AT);
        store.save("notice.txt", "two", "alice@corp.example", AT.plusSeconds(1));
        store.saveOrganisation("Example 株式会社", "admin", AT);
        store.saveLogo(new byte[] {1, 2, 3}, "image/png", "ab".repeat(32), "admin", AT);

        assertThat(store.find("notice.txt")).hasValueSatisfying(e -> {
            assertThat(e.body()).isEqualTo("two");
            assertThat(e.updatedBy()).isEqualTo("alice@corp.example");
            assertThat(e.updatedAt()).isEqualTo(AT.plusSeconds(1));
        });
        MailTemplates.Snapshot snapshot = store.snapshot();
        assertThat(snapshot.edited()).containsOnlyKeys("notice.txt");
        assertThat(snapshot.organisation()).isEqualTo("Example 株式会社");
        assertThat(snapshot.logoSha256()).isEqualTo("ab".repeat(32));
        assertThat(store.logo()).hasValueSatisfying(l -> assertThat(l.bytes()).containsExactly(1, 2, 3));

        assertThat(store.delete("notice.txt")).isTrue();
        assertThat(store.delete("notice.txt")).isFalse();
        store.deleteLogo("admin", AT);
        assertThat(store.logo()).isEmpty();
        assertThat(store.branding().organisation()).isEqualTo("Example 株式会社");
    }

    @Test
    void editWhenSavedThroughOneReplicaThenTheOtherRendersItAfterItsRefreshInterval() throws Exception {
        DataSource shared = Databases.h2();
        MailTemplates first = new MailTemplates(
                new TemplateStore(JdbcClient.create(shared))::snapshot, "https://a.example", java.time.Duration.ZERO);
        MailTemplates second = new MailTemplates(
                new TemplateStore(JdbcClient.create(shared))::snapshot,
                "https://a.example",
                java.time.Duration.ofMillis(300));
        java.util.Map<String, Object> model = java.util.Map.of("code", "123456", "minutes", 10);
        assertThat(second.render("passcode.txt", model)).contains("Todoke 確認コード");

        new TemplateStore(JdbcClient.create(shared)).save("passcode.txt", "New: [(${code})]", "admin", AT);

        assertThat(first.render("passcode.txt", model)).isEqualTo("New: 123456");
        Thread.sleep(350);
        assertThat(second.render("passcode.txt", model)).isEqualTo("New: 123456");
    }

    @Test
    void onH2() {
        check(Databases.h2());
    }

    @Test
    void onPostgres() {
        check(postgres.dataSource());
    }
}
