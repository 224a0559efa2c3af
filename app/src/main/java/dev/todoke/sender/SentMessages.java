package dev.todoke.sender;

import dev.todoke.link.LinkTokens;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the sender's page reads and changes (tables message, link, stored_file, download, web_session). */
@Repository
class SentMessages {

    record Message(UUID id, Instant createdAt, Instant expiresAt, String state, String subject, String envelopeFrom) {}

    record Link(UUID id, String recipient, String state, Instant revokedAt) {}

    record File(UUID id, String name, String contentType, long size, String sha256) {}

    record Download(UUID linkId, UUID fileId, Instant at) {}

    private final JdbcClient jdbc;

    SentMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Message> findByManageToken(String token) {
        if (!LinkTokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        return jdbc.sql("select id, created_at, expires_at, state, subject, envelope_from from message"
                        + " where manage_token_hash = ?")
                .param(LinkTokens.hash(token))
                .query((rs, n) -> new Message(
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getString("state"),
                        rs.getString("subject"),
                        rs.getString("envelope_from")))
                .optional();
    }

    List<Link> links(UUID messageId) {
        return jdbc.sql("select id, recipient, state, revoked_at from link where message_id = ? order by recipient")
                .param(messageId)
                .query((rs, n) -> {
                    Timestamp revoked = rs.getTimestamp("revoked_at");
                    return new Link(
                            rs.getObject("id", UUID.class),
                            rs.getString("recipient"),
                            rs.getString("state"),
                            revoked == null ? null : revoked.toInstant());
                })
                .list();
    }

    List<File> files(UUID messageId) {
        return jdbc.sql("select id, name, content_type, size, sha256 from stored_file where message_id = ?"
                        + " order by ordinal")
                .param(messageId)
                .query((rs, n) -> new File(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("content_type"),
                        rs.getLong("size"),
                        rs.getString("sha256")))
                .list();
    }

    List<Download> downloads(UUID messageId) {
        return jdbc.sql("select d.link_id, d.file_id, d.at from download d join link l on l.id = d.link_id"
                        + " where l.message_id = ? order by d.at, d.id")
                .param(messageId)
                .query((rs, n) -> new Download(
                        rs.getObject("link_id", UUID.class),
                        rs.getObject("file_id", UUID.class),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    /** Revokes an active link and ends its sessions; false when it was not active. */
    boolean revoke(UUID linkId, Instant at) {
        int changed = jdbc.sql("update link set state = 'revoked', revoked_at = ? where id = ? and state = 'active'")
                .params(Timestamp.from(at), linkId)
                .update();
        jdbc.sql("delete from web_session where link_id = ?").param(linkId).update();
        return changed == 1;
    }

    void setExpiry(UUID messageId, Instant expiresAt) {
        jdbc.sql("update message set expires_at = ? where id = ?")
                .params(Timestamp.from(expiresAt), messageId)
                .update();
    }
}
