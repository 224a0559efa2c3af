package dev.todoke.policy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The rows of the policy store (schema V5): the one {@code policy_set} row, its {@code policy_history},
 * and the senders' OIDC groups in {@code sender_group}
 * and their managers in {@code sender_manager}. A change is one conditional update on the version
 * read before, so that two administrators (or replicas) cannot overwrite each other. Same SQL on H2 and
 * PostgreSQL. Thread-safe; failures are Spring {@code DataAccessException}s.
 */
@Repository
class PolicyRows {

    private final JdbcClient jdbc;

    PolicyRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored set: version, JSON (null: never set), when and by whom. */
    record Stored(long version, String document, Instant updatedAt, String updatedBy) {}

    long version() {
        return jdbc.sql("select version from policy_set where id = 1")
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    Stored read() {
        return jdbc.sql("select version, document, updated_at, updated_by from policy_set where id = 1")
                .query((rs, n) -> {
                    OffsetDateTime at = rs.getObject("updated_at", OffsetDateTime.class);
                    return new Stored(
                            rs.getLong("version"),
                            rs.getString("document"),
                            at == null ? null : at.toInstant(),
                            rs.getString("updated_by"));
                })
                .optional()
                .orElse(new Stored(0, null, null, null));
    }

    /**
     * Replaces the set if its version is still {@code expected}; writes the new version into the history.
     *
     * @return the new version, or empty when someone changed the set in between
     */
    Optional<Long> replace(long expected, String document, Instant at, String by) {
        int changed = jdbc.sql("update policy_set set version = version + 1, document = ?, updated_at = ?,"
                        + " updated_by = ? where id = 1 and version = ?")
                .params(document, at.atOffset(ZoneOffset.UTC), by, expected)
                .update();
        if (changed != 1) {
            return Optional.empty();
        }
        long version = expected + 1;
        jdbc.sql("insert into policy_history (version, document, updated_at, updated_by) values (?, ?, ?, ?)")
                .params(version, document, at.atOffset(ZoneOffset.UTC), by)
                .update();
        return Optional.of(version);
    }

    /** The OIDC groups of a sender as of their last sign-in; empty when unknown. */
    Set<String> groups(String address) {
        return new HashSet<>(jdbc.sql("select group_name from sender_group where address = ?")
                .param(address.strip().toLowerCase(Locale.ROOT))
                .query(String.class)
                .list());
    }

    /** The sender's manager as of their last sign-in (schema V13). */
    Optional<String> manager(String address) {
        return jdbc.sql("select manager from sender_manager where address = ?")
                .param(address.strip().toLowerCase(Locale.ROOT))
                .query(String.class)
                .optional();
    }

    /** Replaces a sender's manager; null removes it. */
    void rememberManager(String address, String manager, Instant at) {
        String key = address.strip().toLowerCase(Locale.ROOT);
        jdbc.sql("delete from sender_manager where address = ?").param(key).update();
        if (manager != null) {
            jdbc.sql("insert into sender_manager (address, manager, updated_at) values (?, ?, ?)")
                    .params(key, manager.strip().toLowerCase(Locale.ROOT), at.atOffset(ZoneOffset.UTC))
                    .update();
        }
    }

    /** Replaces a sender's groups. */
    void rememberGroups(String address, Collection<String> groups, Instant at) {
        String key = address.strip().toLowerCase(Locale.ROOT);
        jdbc.sql("delete from sender_group where address = ?").param(key).update();
        for (String group : new HashSet<>(groups)) {
            jdbc.sql("insert into sender_group (address, group_name, updated_at) values (?, ?, ?)")
                    .params(key, group, at.atOffset(ZoneOffset.UTC))
                    .update();
        }
    }
}
