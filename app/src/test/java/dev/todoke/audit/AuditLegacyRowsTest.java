package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.testkit.Components;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Migration V4 on a database that already holds audit rows (H2 and PostgreSQL): the old rows keep a null
 * chain and are accepted as a leading prefix, new rows chain after them, and a null chain after a chained
 * row is a break.
 */
class AuditLegacyRowsTest {

    static final AuditKey KEY = AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    @Test
    void verifyWhenRowsFromBeforeV4ThenPrefixAcceptedOnH2() {
        check(
                new SimpleDriverDataSource(
                        new org.h2.Driver(),
                        "jdbc:h2:mem:audit-legacy-" + UUID.randomUUID()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        ""),
                null);
    }

    @Test
    void verifyWhenRowsFromBeforeV4ThenPrefixAcceptedOnPostgres() {
        String url = Components.requirePostgres();
        SimpleDriverDataSource admin = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
        String schema =
                "audit_legacy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcClient.create(admin).sql("create schema " + schema).update();
        try {
            String separator = url.contains("?") ? "&" : "?";
            check(
                    new SimpleDriverDataSource(
                            new org.postgresql.Driver(), url + separator + "currentSchema=" + schema, "postgres", ""),
                    schema);
        } finally {
            JdbcClient.create(admin).sql("drop schema " + schema + " cascade").update();
        }
    }

    private static void check(DataSource dataSource, String schema) {
        migrate(dataSource, schema, "2");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        for (int i = 0; i < 3; i++) {
            jdbc.sql("insert into audit_event (at, kind, detail) values (current_timestamp, 'old', ?)")
                    .param("#" + i)
                    .update();
        }
        migrate(dataSource, schema, null);
        AuditLog log = new AuditLog(dataSource, Clock.systemUTC(), KEY);
        AuditQuery query = new AuditQuery(dataSource, KEY);

        assertThat(query.verify()).as("only old rows").isEqualTo(new AuditQuery.Verification(true, null));
        log.record("new", null, null, null, null, null);
        log.record("new", null, null, null, null, null);
        assertThat(query.verify()).isEqualTo(new AuditQuery.Verification(true, null));

        List<Long> ids = jdbc.sql("select id from audit_event order by id")
                .query(Long.class)
                .list();
        jdbc.sql("update audit_event set chain = null where id = ?")
                .param(ids.get(3))
                .update();
        assertThat(query.verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(4)));
    }

    private static void migrate(DataSource dataSource, String schema, String target) {
        var config = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null) {
            config = config.schemas(schema);
        }
        if (target != null) {
            config = config.target(target);
        }
        config.load().migrate();
    }
}
