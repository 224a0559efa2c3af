package dev.todoke.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log: one row per event in table {@code audit_event}, and one log line. Append-only: rows are
 * never updated after their insert transaction, and only ever deleted as an oldest-first prefix ({@link
 * #oldest}, {@link #deleteThrough}), so the log that remains is always a contiguous tail.
 *
 * <p>Each row is chained to the previous one by HMAC-SHA256 with {@code todoke.audit.key} (docs/adr/0085,
 * {@link AuditChain}): the insert locks the single chain head row (table {@code audit_chain}, {@code select
 * ... for update}) in the inserting transaction (joining the caller's transaction if there is one), so rows
 * from every thread and every replica form one linear chain in id order. A trim writes an {@value #ANCHOR}
 * row carrying the last removed row's chain value, so verification ({@link AuditQuery#verify}) still holds.
 *
 * <p>Callers never pass tokens, passcodes or keys: only ids, addresses, and plain details. {@code actor} is
 * who did it: {@value #SYSTEM}, {@link #admin}, {@link #sender}, {@link #recipient}; the older overload
 * without an actor derives it. Thread-safe. Database
 * failures propagate as {@code DataAccessException}.
 */
@Component
public class AuditLog {

    /** The actor of what Todoke does on its own (the mail path, purge, retention). */
    public static final String SYSTEM = "system";

    /** The kind of the row a trim writes: its detail is {@code {"through": id, "chain": "hex"}}. */
    public static final String ANCHOR = "audit-anchor";

    private static final Logger log = LoggerFactory.getLogger("todoke.audit");
    private static final int MAX_DETAIL = 4000;
    private static final int MAX_CHANGE = 65536;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern BY_ADMIN = Pattern.compile("(?:^|\\s)by admin(?: ([^\\s;,]+))?(?=$|[\\s;,])");
    private static final Set<String> SENDER_KINDS = Set.of("sender-page-viewed", "expiry-changed");
    private static final Set<String> RECIPIENT_KINDS = Set.of(
            "link-viewed",
            "code-sent",
            "code-refused",
            "code-failed",
            "code-locked",
            "code-passed",
            "file-downloaded",
            "zip-downloaded");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AuditChain chain;

    public AuditLog(DataSource dataSource, Clock clock, AuditKey key) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
        this.chain = new AuditChain(key);
    }

    /** The actor for an administrator: {@code admin:<name>}. */
    public static String admin(String name) {
        return "admin:" + name;
    }

    /** The actor for a sender, by address: {@code sender:<address>}. */
    public static String sender(String address) {
        return "sender:" + address;
    }

    /** The actor for a recipient, by address: {@code recipient:<address>}. */
    public static String recipient(String address) {
        return "recipient:" + address;
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
     * before}, as a prefix: it stops before the first such id recorded at or after {@code before}. The caller
     * has checked that these are not needed any more. In the same transaction, appends an {@value #ANCHOR}
     * row carrying the id and chain value of the last row deleted, where verification starts. Idempotent.
     *
     * @return how many rows were deleted
     */
    public int deleteThrough(long lastId, Instant before) {
        Integer deleted = transactions.execute(status -> {
            String head = lockHead();
            Long stop = jdbc.sql("select min(id) from audit_event where id <= ? and at >= ?")
                    .params(lastId, before.atOffset(ZoneOffset.UTC))
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            long through = stop == null ? lastId : stop - 1;
            Optional<Map<String, Object>> last = jdbc.sql(
                            "select id, chain from audit_event where id <= ? order by id desc limit 1")
                    .param(through)
                    .query((rs, n) -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("through", rs.getLong("id"));
                        String value = rs.getString("chain");
                        row.put("chain", value == null ? AuditChain.GENESIS : value);
                        return row;
                    })
                    .optional();
            if (last.isEmpty()) {
                return 0;
            }
            int count = jdbc.sql("delete from audit_event where id <= ?")
                    .param(last.get().get("through"))
                    .update();
            append(head, SYSTEM, ANCHOR, null, null, null, null, JSON.writeValueAsString(last.get()));
            return count;
        });
        return deleted == null ? 0 : deleted;
    }

    /**
     * Records one event with an actor derived from what callers of this overload have always passed ({@link
     * #derivedActor}); callers that know who acted use the overload with an actor.
     */
    public void record(String kind, UUID messageId, UUID linkId, String address, String clientIp, String detail) {
        String text = cut(detail, MAX_DETAIL);
        transactions.executeWithoutResult(status -> append(
                lockHead(),
                derivedActor(kind, messageId, address, text),
                kind,
                messageId,
                linkId,
                address,
                clientIp,
                text));
        log.info("{} message={} link={} address={} ip={} {}", kind, messageId, linkId, address, clientIp, text);
    }

    /**
     * The actor of an event recorded without one: {@code admin:<name>} when the detail says {@code by admin
     * <name>} (a name ends at a space, comma or semicolon); {@code sender:<envelope sender of the message>}
     * when it begins or ends with {@code by sender} or the kind is
     * {@code sender-page-viewed} or {@code expiry-changed}; {@code approver:<address>} when it says {@code by
     * approver}; {@code recipient:<address>} for what a recipient does (viewing a link, passcodes,
     * downloads); otherwise {@value #SYSTEM}.
     */
    private String derivedActor(String kind, UUID messageId, String address, String detail) {
        String text = detail == null ? "" : detail;
        Matcher admin = BY_ADMIN.matcher(text);
        if (admin.find()) {
            return admin(admin.group(1) == null ? "(unknown)" : admin.group(1));
        }
        boolean bySender = text.equals("by sender") || text.startsWith("by sender ") || text.endsWith(" by sender");
        if (bySender || SENDER_KINDS.contains(kind)) {
            String sender = messageId == null
                    ? null
                    : jdbc.sql("select envelope_from from message where id = ?")
                            .param(messageId)
                            .query(String.class)
                            .optional()
                            .orElse(null);
            return sender(sender != null ? sender : address != null ? address : "(unknown)");
        }
        if ((text.equals("by approver") || text.endsWith(" by approver")) && address != null) {
            return "approver:" + address;
        }
        if (RECIPIENT_KINDS.contains(kind) && address != null) {
            return recipient(address);
        }
        return SYSTEM;
    }

    /**
     * Records one event.
     *
     * @param actor who did it: {@value #SYSTEM}, {@link #admin}, {@link #sender}, {@link #recipient}
     * @param kind what happened, a short kebab-case word: {@code mail-refused}, {@code link-viewed}, {@code
     *     code-sent}, {@code code-failed}, {@code code-locked}, {@code code-passed}, {@code file-downloaded},
     *     {@code link-revoked}, {@code expiry-changed}, ...
     * @param messageId the message (transfer) concerned, or null
     * @param linkId the link concerned, or null
     * @param address the mail address concerned (recipient or sender), or null
     * @param clientIp the client's IP address, or null
     * @param detail free text for people, or null; cut at 4000 characters
     */
    public void record(
            String actor, String kind, UUID messageId, UUID linkId, String address, String clientIp, String detail) {
        String text = cut(detail, MAX_DETAIL);
        transactions.executeWithoutResult(
                status -> append(lockHead(), actor, kind, messageId, linkId, address, clientIp, text));
        log.info(
                "{} actor={} message={} link={} address={} ip={} {}",
                kind,
                actor,
                messageId,
                linkId,
                address,
                clientIp,
                text);
    }

    /**
     * Records a change of settings (a policy, a template) with its before and after: the detail is the JSON
     * {@code {"subject": ..., "before": ..., "after": ...}}, each value serialised by Jackson (a record, a map,
     * a {@code JsonNode}, a string, or null for "none"). When the JSON is longer than 65,536 characters, the
     * before and after are replaced by {@code "truncated": true}.
     */
    public void recordChange(String actor, String kind, String subject, String clientIp, Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("subject", subject);
        change.put("before", before);
        change.put("after", after);
        String detail = JSON.writeValueAsString(change);
        if (detail.length() > MAX_CHANGE) {
            change.remove("before");
            change.remove("after");
            change.put("truncated", true);
            detail = cut(JSON.writeValueAsString(change), MAX_CHANGE);
        }
        String text = detail;
        transactions.executeWithoutResult(status -> append(lockHead(), actor, kind, null, null, null, clientIp, text));
        log.info("{} actor={} subject={} ip={} (before and after in the audit row)", kind, actor, subject, clientIp);
    }

    /** Locks the chain head for this transaction; returns the last chain value. */
    private String lockHead() {
        return jdbc.sql("select last_chain from audit_chain where id = 1 for update")
                .query(String.class)
                .optional()
                .orElseThrow(() -> new IllegalStateException("audit_chain has no head row (migration V4)"));
    }

    /** Inserts one row after {@code previous}, computes its chain value, and moves the head. Needs the lock. */
    private void append(
            String previous,
            String actor,
            String kind,
            UUID messageId,
            UUID linkId,
            String address,
            String clientIp,
            String detail) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into audit_event (at, actor, kind, message_id, link_id, address, client_ip, detail)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(at.atOffset(ZoneOffset.UTC), actor, kind, messageId, linkId, address, clientIp, detail)
                .update(keys, "id");
        long id = keys.getKey().longValue();
        String value = chain.next(
                previous,
                new AuditQuery.Event(id, at, actor, kind, messageId, linkId, address, clientIp, detail, null));
        jdbc.sql("update audit_event set chain = ? where id = ?")
                .params(value, id)
                .update();
        jdbc.sql("update audit_chain set last_id = ?, last_chain = ? where id = 1")
                .params(id, value)
                .update();
    }

    /** At most {@code max} characters, never splitting a surrogate pair. */
    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
