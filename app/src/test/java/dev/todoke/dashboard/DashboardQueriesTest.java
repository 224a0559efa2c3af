package dev.todoke.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.Databases;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The dashboard's SQL on H2 and on PostgreSQL: days cut at the pages' offset, not the session's zone. */
class DashboardQueriesTest {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    private static final ZoneOffset TOKYO = ZoneOffset.ofHours(9);

    private static void rows(JdbcClient jdbc) {
        // 2026-11-30 23:30 in Tokyo and 2026-12-01 00:30 in Tokyo (both 2026-11-30 in UTC).
        message(jdbc, Instant.parse("2026-11-30T14:30:00Z"), "a@one.example", 100);
        message(jdbc, Instant.parse("2026-11-30T15:30:00Z"), "b@TWO.example", 50);
        message(jdbc, Instant.parse("2026-11-30T15:40:00Z"), "c@two.example", 7);
    }

    private static void message(JdbcClient jdbc, Instant at, String recipient, long size) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into message (id, envelope_from, state, created_at, expires_at, manage_token_hash)"
                        + " values (?, 's@corp.example', 'relayed', ?, ?, ?)")
                .params(id, Timestamp.from(at), Timestamp.from(at.plusSeconds(86400)), id.toString())
                .update();
        jdbc.sql("insert into stored_file (id, message_id, ordinal, name, content_type, size, sha256, blob_key)"
                        + " values (?, ?, 0, 'f', 'text/plain', ?, 'x', ?)")
                .params(UUID.randomUUID(), id, size, id.toString())
                .update();
        jdbc.sql("insert into link (id, message_id, recipient, token_hash, state, created_at)"
                        + " values (?, ?, ?, ?, 'active', ?)")
                .params(UUID.randomUUID(), id, recipient, UUID.randomUUID().toString(), Timestamp.from(at))
                .update();
    }

    private static void check(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        rows(jdbc);
        DashboardQueries queries = new DashboardQueries(jdbc);
        Instant from = Instant.parse("2026-11-29T15:00:00Z");

        assertThat(queries.mails(from, TOKYO))
                .containsEntry(LocalDate.parse("2026-11-30"), 1L)
                .containsEntry(LocalDate.parse("2026-12-01"), 2L);
        assertThat(queries.bytes(from, TOKYO)).containsEntry(LocalDate.parse("2026-12-01"), 57L);
        assertThat(queries.mails(from, ZoneOffset.UTC)).containsEntry(LocalDate.parse("2026-11-30"), 3L);
        assertThat(queries.topDomains(from, 10))
                .containsExactly(
                        new DashboardQueries.DomainCount("two.example", 2),
                        new DashboardQueries.DomainCount("one.example", 1));
    }

    @Test
    void perDayAndTopDomainsOnH2() {
        check(Databases.h2());
    }

    @Test
    void perDayAndTopDomainsOnPostgres() {
        check(postgres.dataSource());
    }
}
