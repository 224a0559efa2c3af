package dev.todoke.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reading the audit log, for the admin API and the console: filtered pages (newest first), a filtered
 * stream in chain order for exports, and verification of the chain. Every read is bounded: pages are at
 * most {@value #MAX_SIZE} rows, streams and verification go in batches of {@value #BATCH} by id (keyset), so
 * millions of rows never sit in memory and no statement holds a cursor for long. Thread-safe.
 */
@Service
public class AuditQuery {

    public static final int MAX_SIZE = 500;
    static final int BATCH = 1000;
    static final String COLUMNS = "id, at, actor, kind, message_id, link_id, address, client_ip, detail, chain";

    private final JdbcClient jdbc;
    private final AuditVerifier verifier;

    public AuditQuery(DataSource dataSource, AuditKey key) {
        this.jdbc = JdbcClient.create(dataSource);
        this.verifier = new AuditVerifier(jdbc, new AuditChain(key));
    }

    /**
     * One audit row.
     *
     * @param id its id: the order of the chain
     * @param at when it was recorded (microsecond precision)
     * @param actor who did it ({@code system}, {@code admin:<name>}, {@code sender:<address>}, {@code
     *     recipient:<address>}); null on rows written before the chain existed
     * @param action what happened (column {@code kind})
     * @param transfer the message concerned, or null
     * @param linkId the link concerned, or null
     * @param address the mail address concerned, or null
     * @param clientIp the client's IP address, or null
     * @param detail free text, or the JSON of a change or an anchor; or null
     * @param chain the row's chain value (hex HMAC-SHA256); null on rows written before the chain existed
     */
    public record Event(
            long id,
            Instant at,
            String actor,
            String action,
            UUID transfer,
            UUID linkId,
            String address,
            String clientIp,
            String detail,
            String chain) {}

    /**
     * Which rows: every non-null criterion must hold.
     *
     * @param from recorded at or after this instant
     * @param to recorded before this instant
     * @param actor exactly this actor
     * @param action exactly this kind
     * @param transfer about this message
     * @param before only ids lower than this one (keyset paging: pass the last id of the previous page)
     */
    public record Filter(Instant from, Instant to, String actor, String action, UUID transfer, Long before) {

        /** No criterion: everything. */
        public static Filter all() {
            return new Filter(null, null, null, null, null, null);
        }
    }

    /** One page, newest first, with the number of rows matching the filter. */
    public record Page(List<Event> items, long total) {}

    /** The outcome of verification: {@code firstBrokenId} is null when the chain holds. */
    public record Verification(boolean ok, Long firstBrokenId) {}

    /**
     * The page {@code page} (from 0) of {@code size} rows (1 to {@value #MAX_SIZE}) matching {@code filter},
     * newest first.
     *
     * @throws IllegalArgumentException for a negative page or a size out of range
     */
    public Page search(Filter filter, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page must be >= 0 and size 1 to " + MAX_SIZE);
        }
        Where where = where(filter);
        long total = jdbc.sql("select count(*) from audit_event" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
        List<Object> params = new ArrayList<>(where.params());
        params.add(size);
        params.add((long) page * size);
        List<Event> items = jdbc.sql(
                        "select " + COLUMNS + " from audit_event" + where.sql() + " order by id desc limit ? offset ?")
                .params(params)
                .query((rs, n) -> event(rs))
                .list();
        return new Page(items, total);
    }

    /**
     * Every row matching {@code filter}, oldest first (chain order), handed to {@code each} one at a time;
     * read in batches of {@value #BATCH} by id, so the caller can write them out as they come.
     */
    public void each(Filter filter, Consumer<Event> each) {
        long after = 0;
        while (true) {
            Where where = where(filter).and("id > ?", after);
            List<Object> params = new ArrayList<>(where.params());
            params.add(BATCH);
            List<Event> batch = jdbc.sql(
                            "select " + COLUMNS + " from audit_event" + where.sql() + " order by id limit ?")
                    .params(params)
                    .query((rs, n) -> event(rs))
                    .list();
            batch.forEach(each);
            if (batch.size() < BATCH) {
                return;
            }
            after = batch.getLast().id();
        }
    }

    /**
     * Checks the whole chain: every row's chain value, from the genesis or the latest trim's anchor up to the
     * chain head. Detects a row deleted, changed or inserted directly in the database.
     */
    public Verification verify() {
        return verifier.verify();
    }

    static Event event(ResultSet rs) throws SQLException {
        return new Event(
                rs.getLong("id"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getString("kind"),
                rs.getObject("message_id", UUID.class),
                rs.getObject("link_id", UUID.class),
                rs.getString("address"),
                rs.getString("client_ip"),
                rs.getString("detail"),
                rs.getString("chain"));
    }

    private static Where where(Filter filter) {
        Where where = new Where(new StringBuilder(), new ArrayList<>());
        if (filter.from() != null) {
            where = where.and("at >= ?", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where = where.and("at < ?", filter.to().atOffset(ZoneOffset.UTC));
        }
        if (filter.actor() != null) {
            where = where.and("actor = ?", filter.actor());
        }
        if (filter.action() != null) {
            where = where.and("kind = ?", filter.action());
        }
        if (filter.transfer() != null) {
            where = where.and("message_id = ?", filter.transfer());
        }
        if (filter.before() != null) {
            where = where.and("id < ?", filter.before());
        }
        return where;
    }

    private record Where(StringBuilder text, List<Object> params) {

        Where and(String condition, Object param) {
            StringBuilder next = new StringBuilder(text)
                    .append(text.isEmpty() ? " where " : " and ")
                    .append(condition);
            List<Object> all = new ArrayList<>(params);
            all.add(param);
            return new Where(next, all);
        }

        String sql() {
            return text.toString();
        }
    }
}
