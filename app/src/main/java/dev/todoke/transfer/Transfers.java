package dev.todoke.transfer;

import static dev.todoke.transfer.Columns.at;
import static dev.todoke.transfer.Columns.cut;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The transfers: one {@code message} row per mail transaction that had link recipients, with its
 * {@code stored_file}, {@code link} and {@code download} rows, and the {@code orphan_blob} rows of
 * attempts that failed before a message existed (schema V1). The gateway writes them, the recipient and
 * sender pages read and change them; nothing else writes SQL over these tables (the purger has {@link
 * TransferCleanup}). Tokens are never passed in: only their hashes ({@code LinkTokens.hash}).
 *
 * <p>Plain SQL through {@link JdbcClient} that runs unchanged on H2 and PostgreSQL. Nothing is cached:
 * every call reads the database, so every replica sees a revocation at once. Calls join the caller's
 * transaction when there is one. Thread-safe. Every failure is a Spring {@code DataAccessException}.
 */
@Repository
public class Transfers {

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final ApplicationEventPublisher events;

    public Transfers(JdbcClient jdbc, TransactionOperations transactions, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
    }

    /**
     * A message as first written (state {@code pending}). Long texts are cut to their column's size.
     *
     * @param maxExpiresAt the latest expiry a stored policy allowed, or null for {@code
     *     todoke.links.max-expiry}
     */
    public record NewMessage(
            UUID id,
            String envelopeFrom,
            String headerFrom,
            String subject,
            String messageIdHeader,
            String fingerprint,
            Instant createdAt,
            Instant expiresAt,
            String manageTokenHash,
            Instant maxExpiresAt) {

        /** Without a stored maximum. */
        public NewMessage(
                UUID id,
                String envelopeFrom,
                String headerFrom,
                String subject,
                String messageIdHeader,
                String fingerprint,
                Instant createdAt,
                Instant expiresAt,
                String manageTokenHash) {
            this(
                    id,
                    envelopeFrom,
                    headerFrom,
                    subject,
                    messageIdHeader,
                    fingerprint,
                    createdAt,
                    expiresAt,
                    manageTokenHash,
                    null);
        }
    }

    /** One link recipient's link as first written (state active); only the token's hash. */
    public record NewLink(UUID id, String recipient, String tokenHash) {}

    /**
     * A message as read back. {@code headerFrom} and {@code subject} may be null; {@code maxExpiresAt} is
     * null unless a stored policy set the message's latest expiry.
     */
    public record Message(
            UUID id,
            String envelopeFrom,
            String headerFrom,
            String subject,
            MessageState state,
            Instant createdAt,
            Instant expiresAt,
            Instant maxExpiresAt) {

        /** Without a stored maximum. */
        public Message(
                UUID id,
                String envelopeFrom,
                String headerFrom,
                String subject,
                MessageState state,
                Instant createdAt,
                Instant expiresAt) {
            this(id, envelopeFrom, headerFrom, subject, state, createdAt, expiresAt, null);
        }
    }

    /** A link as read back; {@code revokedAt} is null while it is active. */
    public record Link(
            UUID id, UUID messageId, String recipient, boolean revoked, Instant createdAt, Instant revokedAt) {}

    /** A link with its message and the message's number of files: what a recipient's request needs. */
    public record LinkedMessage(Link link, Message message, int fileCount) {}

    /** One recorded download; {@code fileId} null for the ZIP of all files. */
    public record Download(UUID linkId, UUID fileId, Instant at) {}

    // --- the gateway ---------------------------------------------------------------------------------

    /** Writes a message with its files and links in one database transaction: all or nothing. */
    public void insert(NewMessage message, List<StoredFile> files, List<NewLink> links) {
        transactions.executeWithoutResult(status -> {
            String subjectKey = cut(SearchKeys.subject(message.subject()), 2000);
            jdbc.sql("insert into message (id, envelope_from, header_from, subject, message_id_header, fingerprint,"
                            + " state, created_at, expires_at, manage_token_hash, sender_key, sender_domain,"
                            + " subject_key, max_expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            message.id(),
                            cut(message.envelopeFrom(), 512),
                            cut(message.headerFrom(), 1000),
                            cut(message.subject(), 2000),
                            cut(message.messageIdHeader(), 1000),
                            message.fingerprint(),
                            MessageState.PENDING.column(),
                            at(message.createdAt()),
                            at(message.expiresAt()),
                            message.manageTokenHash(),
                            cut(SearchKeys.address(message.envelopeFrom()), 512),
                            cut(SearchKeys.domain(message.envelopeFrom()), 255),
                            subjectKey,
                            message.maxExpiresAt() == null ? null : at(message.maxExpiresAt()))
                    .update();
            insertGrams(message.id(), SearchKeys.grams(subjectKey));
            for (StoredFile file : files) {
                jdbc.sql("insert into stored_file (id, message_id, ordinal, name, content_type, size, sha256, blob_key)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(
                                file.id(),
                                message.id(),
                                file.ordinal(),
                                cut(file.name(), 1024),
                                cut(file.contentType(), 255),
                                file.size(),
                                file.sha256(),
                                file.blobKey())
                        .update();
            }
            for (NewLink link : links) {
                jdbc.sql("insert into link (id, message_id, recipient, token_hash, state, created_at, recipient_key,"
                                + " recipient_domain) values (?, ?, ?, ?, 'active', ?, ?, ?)")
                        .params(
                                link.id(),
                                message.id(),
                                cut(link.recipient(), 512),
                                link.tokenHash(),
                                at(message.createdAt()),
                                cut(SearchKeys.address(link.recipient()), 512),
                                cut(SearchKeys.domain(link.recipient()), 255))
                        .update();
            }
        });
    }

    /** The subject's pairs of characters, in multi-row inserts of at most 500 rows (one on most mail). */
    private void insertGrams(UUID messageId, Set<String> grams) {
        List<String> all = List.copyOf(grams);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            List<Object> params = new ArrayList<>(chunk.size() * 2);
            for (String gram : chunk) {
                params.add(gram);
                params.add(messageId);
            }
            jdbc.sql("insert into message_subject_gram (gram, message_id) values "
                            + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")))
                    .params(params)
                    .update();
        }
    }

    /** Sets a message's state; returns false when no such message exists. */
    public boolean markState(UUID messageId, MessageState state) {
        return jdbc.sql("update message set state = ? where id = ?")
                        .params(state.column(), messageId)
                        .update()
                == 1;
    }

    /** The state of a message, if it exists. */
    public Optional<MessageState> state(UUID messageId) {
        return jdbc.sql("select state from message where id = ?")
                .param(messageId)
                .query(String.class)
                .optional()
                .map(MessageState::ofColumn);
    }

    /**
     * The newest message already relayed with this fingerprint, created at or after {@code since}: a
     * retried transaction whose first attempt was relayed completely.
     */
    public Optional<UUID> findRelayed(String fingerprint, Instant since) {
        return jdbc.sql("select id from message where fingerprint = ? and state = ? and created_at >= ?"
                        + " order by created_at desc fetch first 1 rows only")
                .params(fingerprint, MessageState.RELAYED.column(), at(since))
                .query(UUID.class)
                .optional();
    }

    /**
     * Records blobs that a failed attempt wrote before any row referred to them, so that the purger
     * deletes them after its grace period.
     */
    public void recordOrphans(List<String> blobKeys, Instant at) {
        transactions.executeWithoutResult(status -> {
            for (String key : blobKeys) {
                jdbc.sql("insert into orphan_blob (blob_key, created_at) values (?, ?)")
                        .params(key, at(at))
                        .update();
            }
        });
    }

    // --- the recipient -------------------------------------------------------------------------------

    /** The link whose token has this hash, with its message and file count. */
    public Optional<LinkedMessage> findLink(String tokenHash) {
        return jdbc.sql("select " + Rows.LINK_COLUMNS + ", " + Rows.MESSAGE_COLUMNS + ","
                        + " (select count(*) from stored_file f where f.message_id = m.id) as file_count"
                        + " from link l join message m on m.id = l.message_id where l.token_hash = ?")
                .param(tokenHash)
                .query((rs, n) -> new LinkedMessage(Rows.link(rs, n), Rows.message(rs, n), rs.getInt("file_count")))
                .optional();
    }

    /** A message's files in the message's order. */
    public List<StoredFile> files(UUID messageId) {
        return jdbc.sql("select " + Rows.FILE_COLUMNS + " from stored_file where message_id = ? order by ordinal")
                .param(messageId)
                .query(Rows::file)
                .list();
    }

    /** One file of this message (empty when the id belongs to another message). */
    public Optional<StoredFile> file(UUID messageId, UUID fileId) {
        return jdbc.sql("select " + Rows.FILE_COLUMNS + " from stored_file where message_id = ? and id = ?")
                .params(messageId, fileId)
                .query(Rows::file)
                .optional();
    }

    /**
     * Records a download (file null: the ZIP of all files).
     *
     * @return true when this was the link's first download
     */
    public boolean recordDownload(UUID linkId, UUID fileId, Instant at, String clientIp) {
        long before = jdbc.sql("select count(*) from download where link_id = ?")
                .param(linkId)
                .query(Long.class)
                .single();
        jdbc.sql("insert into download (link_id, file_id, at, client_ip) values (?, ?, ?, ?)")
                .params(linkId, fileId, at(at), clientIp)
                .update();
        return before == 0;
    }

    // --- the sender ----------------------------------------------------------------------------------

    /** The message whose management token has this hash. */
    public Optional<Message> findByManageToken(String manageTokenHash) {
        return jdbc.sql("select " + Rows.MESSAGE_COLUMNS + " from message m where m.manage_token_hash = ?")
                .param(manageTokenHash)
                .query(Rows::message)
                .optional();
    }

    /** A message's links, ordered by recipient. */
    public List<Link> links(UUID messageId) {
        return jdbc.sql("select " + Rows.LINK_COLUMNS + " from link l where l.message_id = ? order by l.recipient")
                .param(messageId)
                .query(Rows::link)
                .list();
    }

    /** Every download through any of a message's links, oldest first. */
    public List<Download> downloads(UUID messageId) {
        return jdbc.sql("select d.link_id, d.file_id, d.at from download d join link l on l.id = d.link_id"
                        + " where l.message_id = ? order by d.at, d.id")
                .param(messageId)
                .query(Rows::download)
                .list();
    }

    /**
     * Revokes an active link and publishes {@link LinkRevoked}; false (and no event) when it was not
     * active.
     */
    public boolean revoke(UUID linkId, Instant at) {
        boolean changed =
                jdbc.sql("update link set state = 'revoked', revoked_at = ? where id = ? and state = 'active'")
                                .params(at(at), linkId)
                                .update()
                        == 1;
        if (changed) {
            events.publishEvent(new LinkRevoked(linkId));
        }
        return changed;
    }

    /** Moves a message's expiry (the caller checks the limits). */
    public void setExpiry(UUID messageId, Instant expiresAt) {
        jdbc.sql("update message set expires_at = ? where id = ?")
                .params(at(expiresAt), messageId)
                .update();
    }
}
