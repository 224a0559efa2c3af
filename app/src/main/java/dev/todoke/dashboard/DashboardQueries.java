package dev.todoke.dashboard;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's numbers as SQL aggregates over the shared database (the meters of one replica know
 * only that replica): counts per day over {@code message}, {@code stored_file}, {@code download} and
 * {@code audit_event}, and the recipient domains of {@code link}. A day is a calendar day at the given
 * offset; the day number is computed in SQL from the epoch seconds, so the same statements run on H2 and
 * PostgreSQL whatever the session's time zone. Thread-safe.
 */
final class DashboardQueries {

    private static final long DAY = 86_400;

    private final JdbcClient jdbc;

    DashboardQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Per-day counts of one statement: day (as the epoch day at the offset) to value. */
    private Map<LocalDate, Long> perDay(
            String table,
            String column,
            String value,
            String where,
            Instant from,
            ZoneOffset offset,
            Object... params) {
        String day = "cast(floor((extract(epoch from " + column + ") + " + offset.getTotalSeconds() + ") / " + DAY
                + ") as bigint)";
        String sql = "select " + day + " as d, " + value + " as v from " + table + " where " + column + " >= ?"
                + (where.isEmpty() ? "" : " and " + where) + " group by 1";
        Object[] all = new Object[params.length + 1];
        all[0] = Timestamp.from(from);
        System.arraycopy(params, 0, all, 1, params.length);
        Map<LocalDate, Long> result = new LinkedHashMap<>();
        jdbc.sql(sql).params(all).query(rs -> {
            result.put(LocalDate.ofEpochDay(rs.getLong("d")), rs.getLong("v"));
        });
        return result;
    }

    Map<LocalDate, Long> mails(Instant from, ZoneOffset offset) {
        return perDay("message", "created_at", "count(*)", "state <> 'failed'", from, offset);
    }

    Map<LocalDate, Long> tempFailed(Instant from, ZoneOffset offset) {
        return perDay("message", "created_at", "count(*)", "state = 'failed'", from, offset);
    }

    Map<LocalDate, Long> files(Instant from, ZoneOffset offset) {
        return perDay(
                "stored_file f join message m on m.id = f.message_id", "m.created_at", "count(*)", "", from, offset);
    }

    Map<LocalDate, Long> bytes(Instant from, ZoneOffset offset) {
        return perDay(
                "stored_file f join message m on m.id = f.message_id",
                "m.created_at",
                "coalesce(sum(f.size), 0)",
                "",
                from,
                offset);
    }

    Map<LocalDate, Long> downloads(Instant from, ZoneOffset offset) {
        return perDay("download", "at", "count(*)", "", from, offset);
    }

    Map<LocalDate, Long> events(String kind, Instant from, ZoneOffset offset) {
        return perDay("audit_event", "at", "count(*)", "kind = ?", from, offset, kind);
    }

    Map<LocalDate, Long> lockouts(Instant from, ZoneOffset offset) {
        return perDay("audit_event", "at", "count(*)", "kind = 'code-locked'", from, offset);
    }

    /** A recipient domain and how many links went to it. */
    record DomainCount(String domain, long links) {}

    /** The recipient domains with the most links since {@code from}, most first. */
    List<DomainCount> topDomains(Instant from, int limit) {
        return jdbc.sql("select lower(substring(recipient from position('@' in recipient) + 1)) as domain,"
                        + " count(*) as n from link where created_at >= ? group by 1 order by 2 desc, 1 limit ?")
                .params(Timestamp.from(from), limit)
                .query((rs, n) -> new DomainCount(rs.getString("domain"), rs.getLong("n")))
                .list();
    }
}
