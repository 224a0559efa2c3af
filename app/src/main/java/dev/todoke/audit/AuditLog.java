package dev.todoke.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log: one row per event in table {@code audit_event}, and one log line. Callers never pass
 * tokens, passcodes or keys: only ids, addresses, and plain details. Rows are only ever deleted as an
 * oldest-first prefix ({@link #oldest}, {@link #deleteThrough}), so the log that remains is always a
 * contiguous tail. Thread-safe.
 */
@Component
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("todoke.audit");
    private static final int MAX_DETAIL = 4000;

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One stored event, as far as retention needs it. */
    public record Entry(long id, Instant at, UUID messageId) {}

    /** The oldest {@code limit} events, by id (insertion order). */
    public List<Entry> oldest(int limit) {
        return jdbc.sql("select id, at, message_id from audit_event order by id limit ?")
                .param(limit)
                .query((rs, n) -> new Entry(
                        rs.getLong("id"),
                        rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getObject("message_id", UUID.class)))
                .list();
    }

    /**
     * Deletes the events with an id up to and including {@code lastId} that were recorded before {@code
     * before}: the caller has checked that these form a prefix nobody needs any more (the time condition
     * keeps a row that was committed late, after the caller read the prefix). Idempotent.
     *
     * @return how many rows were deleted
     */
    public int deleteThrough(long lastId, Instant before) {
        return jdbc.sql("delete from audit_event where id <= ? and at < ?")
                .params(lastId, before.atOffset(ZoneOffset.UTC))
                .update();
    }

    /**
     * Records one event.
     *
     * @param kind what happened, a short kebab-case word: {@code mail-refused}, {@code link-viewed},
     *     {@code code-sent}, {@code code-failed}, {@code code-passed}, {@code file-downloaded},
     *     {@code link-revoked}, {@code expiry-changed}, ...
     * @param messageId the message concerned, or null
     * @param linkId the link concerned, or null
     * @param address the mail address concerned (recipient or sender), or null
     * @param clientIp the client's IP address, or null
     * @param detail free text for people, or null; cut at 4000 characters
     */
    public void record(String kind, UUID messageId, UUID linkId, String address, String clientIp, String detail) {
        String cut = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        jdbc.sql("insert into audit_event (at, kind, message_id, link_id, address, client_ip, detail)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(Timestamp.from(clock.instant()), kind, messageId, linkId, address, clientIp, cut)
                .update();
        log.info("{} message={} link={} address={} ip={} {}", kind, messageId, linkId, address, clientIp, cut);
    }
}
