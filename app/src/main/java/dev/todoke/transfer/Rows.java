package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.instant;

import dev.todoke.transfer.Transfers.Download;
import dev.todoke.transfer.Transfers.Link;
import dev.todoke.transfer.Transfers.Message;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The select lists and row mappers of {@link Transfers}. Column labels are distinct across message and
 * link, so that a join of both reads with the same mappers.
 */
final class Rows {

    static final String MESSAGE_COLUMNS = "m.id as message_id, m.envelope_from, m.header_from, m.subject,"
            + " m.state as message_state, m.created_at as message_created, m.expires_at, m.max_expires_at";

    static final String LINK_COLUMNS = "l.id as link_id, l.message_id as link_message, l.recipient,"
            + " l.state as link_state, l.created_at as link_created, l.revoked_at";

    static final String FILE_COLUMNS = "id, ordinal, name, content_type, size, sha256, blob_key";

    private Rows() {}

    static Message message(ResultSet rs, int row) throws SQLException {
        return new Message(
                rs.getObject("message_id", UUID.class),
                rs.getString("envelope_from"),
                rs.getString("header_from"),
                rs.getString("subject"),
                MessageState.ofColumn(rs.getString("message_state")),
                instant(rs, "message_created"),
                instant(rs, "expires_at"),
                instant(rs, "max_expires_at"));
    }

    static Link link(ResultSet rs, int row) throws SQLException {
        return new Link(
                rs.getObject("link_id", UUID.class),
                rs.getObject("link_message", UUID.class),
                rs.getString("recipient"),
                "revoked".equals(rs.getString("link_state")),
                instant(rs, "link_created"),
                instant(rs, "revoked_at"));
    }

    static StoredFile file(ResultSet rs, int row) throws SQLException {
        return new StoredFile(
                rs.getObject("id", UUID.class),
                rs.getInt("ordinal"),
                rs.getString("name"),
                rs.getString("content_type"),
                rs.getLong("size"),
                rs.getString("sha256"),
                rs.getString("blob_key"));
    }

    static Download download(ResultSet rs, int row) throws SQLException {
        return new Download(
                rs.getObject("link_id", UUID.class), rs.getObject("file_id", UUID.class), instant(rs, "at"));
    }
}
