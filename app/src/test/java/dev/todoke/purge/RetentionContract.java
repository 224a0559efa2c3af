package dev.todoke.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.audit.AuditKey;
import dev.todoke.audit.AuditLog;
import dev.todoke.audit.AuditQuery;
import dev.todoke.transfer.TransferCleanup;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What retention deletes, against a real database (H2 or PostgreSQL, migrated by Flyway) through the
 * real {@link TransferCleanup} and {@link AuditLog}, with a fixed clock and a batch size of 2.
 */
interface RetentionContract {

    Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    Duration AFTER_EXPIRY = Duration.ofDays(90);
    AuditKey KEY = AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    DataSource dataSource();

    default JdbcClient jdbc() {
        return JdbcClient.create(dataSource());
    }

    default Retention retention() {
        return new Retention(
                new TransferCleanup(jdbc()),
                new AuditLog(dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), KEY),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new RetentionProperties(AFTER_EXPIRY),
                2);
    }

    /** A message with one file, one link (and its passcode and a download), expired {@code ago}. */
    default UUID message(String state, Duration expiredAgo) {
        UUID id = UUID.randomUUID();
        Instant expires = NOW.minus(expiredAgo);
        jdbc().sql("insert into message (id, envelope_from, subject, state, created_at, expires_at, manage_token_hash)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        id,
                        "taro@corp.example",
                        "見積書",
                        state,
                        Timestamp.from(expires.minus(Duration.ofDays(7))),
                        Timestamp.from(expires),
                        id.toString())
                .update();
        UUID file = UUID.randomUUID();
        jdbc().sql("insert into stored_file (id, message_id, ordinal, name, content_type, size, sha256, blob_key)"
                        + " values (?, ?, 0, 'quote.pdf', 'application/pdf', 3, '00', ?)")
                .params(file, id, "blob-" + id)
                .update();
        UUID link = UUID.randomUUID();
        jdbc().sql("insert into link (id, message_id, recipient, token_hash, state, created_at)"
                        + " values (?, ?, 'hanako@partner.example', ?, 'active', ?)")
                .params(link, id, "t" + id, Timestamp.from(expires.minus(Duration.ofDays(7))))
                .update();
        jdbc().sql("insert into otp_code (id, link_id, code_hash, created_at, expires_at, state)"
                        + " values (?, ?, 'h', ?, ?, 'used')")
                .params(UUID.randomUUID(), link, Timestamp.from(expires), Timestamp.from(expires))
                .update();
        jdbc().sql("insert into download (link_id, file_id, at, client_ip) values (?, ?, ?, '203.0.113.7')")
                .params(link, file, Timestamp.from(expires.minus(Duration.ofDays(1))))
                .update();
        return id;
    }

    /** Records an audit event {@code ago} before now; returns its id. */
    default long event(Duration ago, UUID messageId) {
        new AuditLog(dataSource(), Clock.fixed(NOW.minus(ago), ZoneOffset.UTC), KEY)
                .record("link-viewed", messageId, null, "hanako@partner.example", "203.0.113.7", null);
        long id =
                jdbc().sql("select max(id) from audit_event").query(Long.class).single();
        CHAINS.put(
                id,
                jdbc().sql("select chain from audit_event where id = ?")
                        .param(id)
                        .query(String.class)
                        .single());
        return id;
    }

    default AuditQuery query() {
        return new AuditQuery(dataSource(), KEY);
    }

    /** The chain value the row had, before anything deleted it (kept by the test in {@link #event}). */
    default String chainOf(long id) {
        return CHAINS.get(id);
    }

    java.util.Map<Long, String> CHAINS = new java.util.concurrent.ConcurrentHashMap<>();

    default long count(String table, UUID messageId) {
        String column = table.equals("message") ? "id" : "message_id";
        return jdbc().sql("select count(*) from " + table + " where " + column + " = ?")
                .param(messageId)
                .query(Long.class)
                .single();
    }

    default List<Long> auditIds() {
        return jdbc().sql("select id from audit_event where kind not in ('retention', 'audit-anchor') order by id")
                .query(Long.class)
                .list();
    }

    @Test
    default void applyWhenPurgedLongerThanRetentionAfterExpiryThenMessageAndRecipientRowsGo() {
        UUID old = message("purged", AFTER_EXPIRY.plusDays(1));
        UUID recent = message("purged", AFTER_EXPIRY.minusDays(1));
        UUID notPurged = message("relayed", AFTER_EXPIRY.plusDays(30));

        Retention.Report report = retention().apply();

        assertThat(report.messages()).isEqualTo(1);
        assertThat(List.of(count("message", old), count("link", old), count("stored_file", old)))
                .containsOnly(0L);
        assertThat(jdbc().sql("select count(*) from download").query(Long.class).single())
                .as("downloads of the other two")
                .isEqualTo(2);
        assertThat(jdbc().sql("select count(*) from otp_code").query(Long.class).single())
                .isEqualTo(2);
        assertThat(List.of(count("message", recent), count("link", recent), count("message", notPurged)))
                .containsOnly(1L);
    }

    @Test
    default void applyWhenOldAuditEventsThenOldestFirstPrefixGoesStoppingAtTheFirstStillNeeded() {
        UUID forgotten = message("purged", AFTER_EXPIRY.plusDays(10));
        UUID kept = message("purged", AFTER_EXPIRY.minusDays(10));
        Duration old = AFTER_EXPIRY.plusDays(20);
        long first = event(old, null);
        long second = event(old, forgotten);
        long third = event(old, kept); // still needed: its message is kept
        long fourth = event(old, null); // old, but after a needed one: stays (prefix only)
        long fifth = event(Duration.ofDays(1), null);

        Retention.Report report = retention().apply();

        assertThat(auditIds()).containsExactly(third, fourth, fifth);
        assertThat(report.auditRows()).isEqualTo(2);
        assertThat(report.auditCutThrough()).isEqualTo(second);
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(true, null));
        assertThat(jdbc().sql("select detail from audit_event where kind = 'audit-anchor'")
                        .query(String.class)
                        .single())
                .isEqualTo("{\"through\":" + second + ",\"chain\":\"" + chainOf(second) + "\"}");
        assertThat(first).isLessThan(second);
        assertThat(jdbc().sql("select detail from audit_event where kind = 'retention'")
                        .query(String.class)
                        .single())
                .contains("audit cut through id=" + second)
                .contains("1 message(s)")
                .contains("todoke.retention.after-expiry=PT2160H");
    }

    @Test
    default void applyWhenFirstEventIsRecentThenNoAuditEventGoesEvenOlderOnesBehindIt() {
        long recent = event(Duration.ofDays(1), null);
        long old = event(AFTER_EXPIRY.plusDays(5), null);

        Retention.Report report = retention().apply();

        assertThat(auditIds()).containsExactly(recent, old);
        assertThat(report).isEqualTo(new Retention.Report(0, 0, 0));
        assertThat(jdbc().sql("select count(*) from audit_event where kind = 'retention'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    default void applyWhenMoreThanOneBatchDueThenAllGoAndASecondRunDeletesNothing() {
        for (int i = 0; i < 5; i++) {
            message("purged", AFTER_EXPIRY.plusDays(1 + i));
            event(AFTER_EXPIRY.plusDays(10), null);
        }
        long young = event(Duration.ofHours(1), null);

        Retention.Report first = retention().apply();
        Retention.Report second = retention().apply();

        assertThat(first.messages()).isEqualTo(5);
        assertThat(first.auditRows()).isEqualTo(5);
        assertThat(auditIds()).containsExactly(young);
        assertThat(second).isEqualTo(new Retention.Report(0, 0, 0));
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(true, null));
    }

    @Test
    default void applyWhenTrimmedThenDeletingTheFirstRemainingRowIsStillDetected() {
        event(AFTER_EXPIRY.plusDays(10), null);
        long kept = event(Duration.ofDays(1), null);
        long next = event(Duration.ofHours(1), null);
        retention().apply();
        assertThat(query().verify().ok()).isTrue();

        jdbc().sql("delete from audit_event where id = ?").param(kept).update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, next));
    }

    @Test
    default void propertiesWhenNegativeThenRejected() {
        assertThatThrownBy(() -> new RetentionProperties(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("todoke.retention.after-expiry");
    }
}
