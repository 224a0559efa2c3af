package dev.todoke.audit;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verification of the audit chain (docs/adr/0085), streaming in batches by id. Reads the chain head first
 * and checks the rows up to its {@code last_id} (rows appended meanwhile are left for the next run):
 *
 * <ol>
 *   <li>rows without a chain value are accepted only as a leading prefix (written before migration V4);
 *   <li>the first chained row must follow the genesis (the empty string), or, after a trim, the chain value
 *       carried by the {@value AuditLog#ANCHOR} row with the greatest {@code through} below its id;
 *   <li>every row's chain value must be the HMAC of the previous row's value and its own fields;
 *   <li>the last row must be the head's {@code last_id} with the head's value (catches a deleted tail).
 * </ol>
 *
 * The first failing row's id is the answer; for a deleted tail, the head's {@code last_id}. Thread-safe.
 */
final class AuditVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final AuditChain chain;

    AuditVerifier(JdbcClient jdbc, AuditChain chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    private record Head(long lastId, String lastChain) {}

    AuditQuery.Verification verify() {
        Head head = jdbc.sql("select last_id, last_chain from audit_chain where id = 1")
                .query((rs, n) -> new Head(rs.getLong("last_id"), rs.getString("last_chain")))
                .single();
        String previous = null; // null: no chained row seen yet
        AuditQuery.Event last = null;
        long after = 0;
        while (true) {
            List<AuditQuery.Event> batch = jdbc.sql("select " + AuditQuery.COLUMNS
                            + " from audit_event where id > ? and id <= ? order by id limit ?")
                    .params(after, head.lastId(), AuditQuery.BATCH)
                    .query((rs, n) -> AuditQuery.event(rs))
                    .list();
            for (AuditQuery.Event row : batch) {
                if (previous == null && row.chain() == null) {
                    last = row; // legacy prefix
                    continue;
                }
                String expected = chain.next(previous == null ? start(row.id()) : previous, row);
                if (!AuditChain.same(expected, row.chain())) {
                    return broken(row.id());
                }
                previous = row.chain();
                last = row;
            }
            if (batch.size() < AuditQuery.BATCH) {
                break;
            }
            after = batch.getLast().id();
        }
        if (head.lastId() == 0 && last == null) {
            return new AuditQuery.Verification(true, null);
        }
        if (last == null || last.id() != head.lastId()) {
            return broken(head.lastId());
        }
        String lastValue = last.chain() == null ? AuditChain.GENESIS : last.chain();
        if (!lastValue.equals(head.lastChain())) {
            return broken(last.id());
        }
        return new AuditQuery.Verification(true, null);
    }

    /** The value the first remaining chained row follows: the best anchor's, or the genesis. */
    private String start(long firstId) {
        long after = Long.MAX_VALUE;
        while (true) {
            List<String> details = jdbc.sql("select id, detail from audit_event where kind = ? and id < ?"
                            + " order by id desc limit ?")
                    .params(AuditLog.ANCHOR, after, AuditQuery.BATCH)
                    .query((rs, n) -> rs.getLong("id") + " " + rs.getString("detail"))
                    .list();
            Optional<String> best = details.stream()
                    .map(AuditVerifier::anchor)
                    .flatMap(Optional::stream)
                    .filter(a -> a.through() < firstId)
                    .max((a, b) -> Long.compare(a.through(), b.through()))
                    .map(Anchor::chain);
            if (best.isPresent()) {
                return best.get();
            }
            if (details.size() < AuditQuery.BATCH) {
                return AuditChain.GENESIS;
            }
            String lastRow = details.getLast();
            after = Long.parseLong(lastRow.substring(0, lastRow.indexOf(' ')));
        }
    }

    private record Anchor(long through, String chain) {}

    private static Optional<Anchor> anchor(String idAndDetail) {
        String detail = idAndDetail.substring(idAndDetail.indexOf(' ') + 1);
        try {
            JsonNode node = JSON.readTree(detail);
            if (node == null
                    || !node.path("through").isIntegralNumber()
                    || !node.path("chain").isString()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Anchor(node.get("through").asLong(), node.get("chain").asString()));
        } catch (JacksonException e) {
            return Optional.empty(); // a changed anchor fails its own chain check later
        }
    }

    private static AuditQuery.Verification broken(long id) {
        return new AuditQuery.Verification(false, id);
    }
}
