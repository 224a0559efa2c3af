package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.at;
import static dev.todoke.transfer.Columns.instant;

import dev.todoke.common.DomainException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finds transfers for administrators: by sender, recipient, subject, creation time and state, newest
 * first, a page at a time, and reads what one transfer's page shows. Every filter is answered from an
 * index of schema V5: senders and recipients by their lowercased address or domain, subjects through
 * the pairs of characters in {@code message_subject_gram}. Read-only; same SQL on H2 and PostgreSQL;
 * nothing cached. Thread-safe. Every failure is a Spring {@code DataAccessException}, except a query the
 * index cannot answer ({@link DomainException} {@code invalid}).
 */
@Repository
public class TransferSearch {

    /** The states a search may ask for: the message states and {@code active}, {@code expired}, {@code revoked}. */
    public static final List<String> STATES =
            List.of("pending", "relayed", "failed", "purged", "active", "expired", "revoked");

    private final JdbcClient jdbc;

    public TransferSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A search; every filter null (or blank) when not used.
     *
     * @param sender an address (exact, case-insensitive) or a domain ({@code corp.example} or {@code
     *     @corp.example}: every sender at that domain)
     * @param recipient as {@code sender}, for any link recipient of the transfer
     * @param subject a piece of the decoded subject, at least 2 characters (case and full-width letters do
     *     not matter)
     * @param from created at or after
     * @param to created before
     * @param state one of {@link #STATES}
     * @param page from 0
     * @param size rows per page, at least 1
     */
    public record Query(
            String sender,
            String recipient,
            String subject,
            Instant from,
            Instant to,
            String state,
            int page,
            int size) {}

    /** One page of messages, newest first, and how many match in all. */
    public record Page(List<Transfers.Message> items, long total) {}

    /** A download with the client's address, for the administrator. {@code fileId} null: the ZIP. */
    public record DownloadRecord(UUID linkId, UUID fileId, Instant at, String clientIp) {}

    /**
     * The messages that match, newest first.
     *
     * @param now for the states {@code active} and {@code expired}
     */
    public Page search(Query query, Instant now) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        address(query.sender(), "m.sender_key = ?", "m.sender_domain = ?", where, params);
        if (present(query.recipient())) {
            List<String> inner = new ArrayList<>();
            address(query.recipient(), "l.recipient_key = ?", "l.recipient_domain = ?", inner, params);
            where.add("m.id in (select l.message_id from link l where " + inner.get(0) + ")");
        }
        if (present(query.subject())) {
            subject(query.subject(), where, params);
        }
        if (query.from() != null) {
            where.add("m.created_at >= ?");
            params.add(at(query.from()));
        }
        if (query.to() != null) {
            where.add("m.created_at < ?");
            params.add(at(query.to()));
        }
        if (present(query.state())) {
            state(query.state().strip().toLowerCase(Locale.ROOT), now, where, params);
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        long total = jdbc.sql("select count(*) from message m" + condition)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add((long) query.page() * query.size());
        pageParams.add(query.size());
        List<Transfers.Message> items = jdbc.sql("select " + Rows.MESSAGE_COLUMNS + " from message m" + condition
                        + " order by m.created_at desc, m.id desc offset ? rows fetch next ? rows only")
                .params(pageParams)
                .query(Rows::message)
                .list();
        return new Page(items, total);
    }

    /** One message by id. */
    public Optional<Transfers.Message> find(UUID id) {
        return jdbc.sql("select " + Rows.MESSAGE_COLUMNS + " from message m where m.id = ?")
                .param(id)
                .query(Rows::message)
                .optional();
    }

    /** The links of these messages (ordered by recipient), by message id; a message without links is absent. */
    public Map<UUID, List<Transfers.Link>> links(Collection<UUID> messageIds) {
        Map<UUID, List<Transfers.Link>> byMessage = new LinkedHashMap<>();
        if (messageIds.isEmpty()) {
            return byMessage;
        }
        jdbc.sql("select " + Rows.LINK_COLUMNS + " from link l where l.message_id in ("
                        + placeholders(messageIds.size()) + ") order by l.recipient")
                .params(List.copyOf(messageIds))
                .query(Rows::link)
                .list()
                .forEach(link -> byMessage
                        .computeIfAbsent(link.messageId(), id -> new ArrayList<>())
                        .add(link));
        return byMessage;
    }

    /** How many files each of these messages has; a message without files is absent. */
    public Map<UUID, Integer> fileCounts(Collection<UUID> messageIds) {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        if (messageIds.isEmpty()) {
            return counts;
        }
        jdbc.sql("select message_id, count(*) as n from stored_file where message_id in ("
                        + placeholders(messageIds.size()) + ") group by message_id")
                .params(List.copyOf(messageIds))
                .query((rs, n) -> Map.entry(rs.getObject("message_id", UUID.class), rs.getInt("n")))
                .list()
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** Every download through any of a message's links, oldest first, with the client's address. */
    public List<DownloadRecord> downloads(UUID messageId) {
        return jdbc.sql("select d.link_id, d.file_id, d.at, d.client_ip from download d join link l on l.id = d.link_id"
                        + " where l.message_id = ? order by d.at, d.id")
                .param(messageId)
                .query((rs, n) -> new DownloadRecord(
                        rs.getObject("link_id", UUID.class),
                        rs.getObject("file_id", UUID.class),
                        instant(rs, "at"),
                        rs.getString("client_ip")))
                .list();
    }

    private static void address(
            String value, String byAddress, String byDomain, List<String> where, List<Object> params) {
        if (!present(value)) {
            return;
        }
        String key = SearchKeys.address(value);
        if (key.startsWith("@")) {
            key = key.substring(1);
        }
        if (key.contains("@")) {
            where.add(byAddress);
            params.add(key);
        } else {
            where.add(byDomain);
            params.add(key);
        }
    }

    private static void subject(String value, List<String> where, List<Object> params) {
        String key = SearchKeys.subject(value);
        Set<String> grams = SearchKeys.grams(key);
        if (key.codePointCount(0, key.length()) < SearchKeys.MIN_SUBJECT_QUERY) {
            throw DomainException.invalid("subject-too-short");
        }
        where.add("m.id in (select g.message_id from message_subject_gram g where g.gram in ("
                + placeholders(grams.size()) + ") group by g.message_id having count(*) = ?)");
        params.addAll(grams);
        params.add(grams.size());
        where.add("m.subject_key like ? escape '!'");
        params.add("%" + key.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }

    private static void state(String state, Instant now, List<String> where, List<Object> params) {
        switch (state) {
            case "pending", "relayed", "failed", "purged" -> {
                where.add("m.state = ?");
                params.add(state);
            }
            case "active" -> {
                where.add("m.state = 'relayed' and m.expires_at > ?");
                params.add(at(now));
            }
            case "expired" -> {
                where.add("m.state in ('relayed', 'purged') and m.expires_at <= ?");
                params.add(at(now));
            }
            case "revoked" ->
                where.add("m.state = 'relayed' and exists (select 1 from link l where l.message_id = m.id)"
                        + " and not exists (select 1 from link l where l.message_id = m.id and l.state = 'active')");
            default -> throw DomainException.invalid("unknown-state");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
