package dev.todoke.sender;

import dev.todoke.common.DomainException;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The sender portal's view of the database ({@code /my}): the messages whose envelope sender is the
 * signed-in sender's verified address, compared case-insensitively, newest first. A message of someone
 * else is "not found", never "forbidden". Revoking and changing the expiry go through {@link SenderDesk}
 * as on the {@code /s/} page. Thread-safe.
 */
@Service
class SenderPortal {

    static final int PAGE_SIZE = 20;

    /** One page of a sender's messages. */
    record Page(List<Transfers.Message> items, long total, int page) {

        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }
    }

    private final JdbcClient jdbc;

    SenderPortal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The sender's messages that were sent (relayed, or relayed and since purged), newest first. */
    Page mine(String email, int page) {
        String address = normalise(email);
        int from = Math.max(0, page);
        long total = jdbc.sql(
                        "select count(*) from message where sender_key = ? and state in ('relayed'," + " 'purged')")
                .param(address)
                .query(Long.class)
                .single();
        List<Transfers.Message> items = jdbc.sql("select id, envelope_from, header_from, subject, state, created_at,"
                        + " expires_at from message where sender_key = ? and state in ('relayed', 'purged')"
                        + " order by created_at desc, id limit ? offset ?")
                .params(address, PAGE_SIZE, (long) from * PAGE_SIZE)
                .query((rs, n) -> message(rs))
                .list();
        return new Page(items, total, from);
    }

    /** One of the sender's messages; not found when it is unknown or someone else's. */
    Transfers.Message one(String email, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw DomainException.notFound();
        }
        return jdbc.sql("select id, envelope_from, header_from, subject, state, created_at, expires_at from message"
                        + " where id = ? and sender_key = ? and state in ('relayed', 'purged')")
                .params(uuid, normalise(email))
                .query((rs, n) -> message(rs))
                .optional()
                .orElseThrow(DomainException::notFound);
    }

    private static String normalise(String email) {
        if (email == null || email.isBlank()) {
            throw DomainException.notFound();
        }
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static Transfers.Message message(java.sql.ResultSet rs) throws SQLException {
        return new Transfers.Message(
                rs.getObject("id", UUID.class),
                rs.getString("envelope_from"),
                rs.getString("header_from"),
                rs.getString("subject"),
                MessageState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }
}
