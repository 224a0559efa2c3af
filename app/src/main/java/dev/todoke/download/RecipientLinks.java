package dev.todoke.download;

import dev.todoke.link.LinkTokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads links and files and records downloads (tables link, message, stored_file, download). */
@Repository
class RecipientLinks {

    private final JdbcClient jdbc;

    RecipientLinks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RecipientLink> findByToken(String token) {
        if (!LinkTokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        return jdbc.sql("select l.id, l.message_id, l.recipient, l.state as link_state, m.state as message_state,"
                        + " m.created_at, m.expires_at, m.header_from, m.envelope_from, m.subject,"
                        + " (select count(*) from stored_file f where f.message_id = m.id) as file_count"
                        + " from link l join message m on m.id = l.message_id where l.token_hash = ?")
                .param(LinkTokens.hash(token))
                .query(RecipientLinks::link)
                .optional();
    }

    List<StoredFile> files(UUID messageId) {
        return jdbc.sql("select id, name, content_type, size, sha256, blob_key from stored_file"
                        + " where message_id = ? order by ordinal")
                .param(messageId)
                .query(RecipientLinks::file)
                .list();
    }

    Optional<StoredFile> file(UUID messageId, UUID fileId) {
        return jdbc.sql("select id, name, content_type, size, sha256, blob_key from stored_file"
                        + " where message_id = ? and id = ?")
                .params(messageId, fileId)
                .query(RecipientLinks::file)
                .optional();
    }

    /**
     * Records a download (file null: the ZIP of all files).
     *
     * @return true when this was the link's first download
     */
    boolean recordDownload(UUID linkId, UUID fileId, Instant at, String clientIp) {
        long before = jdbc.sql("select count(*) from download where link_id = ?")
                .param(linkId)
                .query(Long.class)
                .single();
        jdbc.sql("insert into download (link_id, file_id, at, client_ip) values (?, ?, ?, ?)")
                .params(linkId, fileId, Timestamp.from(at), clientIp)
                .update();
        return before == 0;
    }

    private static RecipientLink link(ResultSet rs, int row) throws SQLException {
        String envelopeFrom = rs.getString("envelope_from");
        return new RecipientLink(
                rs.getObject("id", UUID.class),
                rs.getObject("message_id", UUID.class),
                rs.getString("recipient"),
                rs.getString("link_state"),
                rs.getString("message_state"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(),
                Addresses.fromHeader(rs.getString("header_from"), envelopeFrom),
                envelopeFrom,
                rs.getString("subject"),
                rs.getInt("file_count"));
    }

    private static StoredFile file(ResultSet rs, int row) throws SQLException {
        return new StoredFile(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("content_type"),
                rs.getLong("size"),
                rs.getString("sha256"),
                rs.getString("blob_key"));
    }
}
