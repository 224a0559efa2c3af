package dev.todoke.gateway;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The gateway's rows: {@code message}, {@code stored_file}, {@code link} and {@code orphan_blob}
 * (schema V1). Plain SQL through {@link JdbcClient} that runs unchanged on H2 and PostgreSQL.
 * Thread-safe. Every failure is a Spring {@code DataAccessException}.
 */
@Repository
class MessageRepository {

    static final String PENDING = "pending";
    static final String RELAYED = "relayed";
    static final String FAILED = "failed";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;

    MessageRepository(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** A message as first written: state {@code pending}. Long texts are cut to their column's size. */
    record NewMessage(
            UUID id,
            String envelopeFrom,
            String headerFrom,
            String subject,
            String messageIdHeader,
            String fingerprint,
            Instant createdAt,
            Instant expiresAt,
            String manageTokenHash) {}

    /** One attachment taken out of a message and stored under {@code blobKey}. */
    record NewFile(UUID id, int ordinal, String name, String contentType, long size, String sha256, String blobKey) {}

    /** One external recipient's link; only the token's hash. */
    record NewLink(UUID id, String recipient, String tokenHash) {}

    /** Writes a message with its files and links in one database transaction: all or nothing. */
    void insert(NewMessage message, List<NewFile> files, List<NewLink> links) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("insert into message (id, envelope_from, header_from, subject, message_id_header, fingerprint,"
                            + " state, created_at, expires_at, manage_token_hash)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            message.id(),
                            cut(message.envelopeFrom(), 512),
                            cut(message.headerFrom(), 1000),
                            cut(message.subject(), 2000),
                            cut(message.messageIdHeader(), 1000),
                            message.fingerprint(),
                            PENDING,
                            at(message.createdAt()),
                            at(message.expiresAt()),
                            message.manageTokenHash())
                    .update();
            for (NewFile file : files) {
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
                jdbc.sql("insert into link (id, message_id, recipient, token_hash, state, created_at)"
                                + " values (?, ?, ?, ?, 'active', ?)")
                        .params(
                                link.id(),
                                message.id(),
                                cut(link.recipient(), 512),
                                link.tokenHash(),
                                at(message.createdAt()))
                        .update();
            }
        });
    }

    /** Sets a message's state; returns false when no such message exists. */
    boolean markState(UUID messageId, String state) {
        return jdbc.sql("update message set state = ? where id = ?")
                        .params(state, messageId)
                        .update()
                == 1;
    }

    /** The state of a message, if it exists. */
    Optional<String> state(UUID messageId) {
        return jdbc.sql("select state from message where id = ?")
                .param(messageId)
                .query(String.class)
                .optional();
    }

    /**
     * Records blobs that a failed attempt wrote before any row referred to them, so that the purger
     * deletes them after its grace period.
     */
    void recordOrphans(List<String> blobKeys, Instant at) {
        transactions.executeWithoutResult(status -> {
            for (String key : blobKeys) {
                jdbc.sql("insert into orphan_blob (blob_key, created_at) values (?, ?)")
                        .params(key, at(at))
                        .update();
            }
        });
    }

    /**
     * The newest message already relayed with this fingerprint, created at or after {@code since}: a
     * retried transaction whose first attempt was relayed completely.
     */
    Optional<UUID> findRelayed(String fingerprint, Instant since) {
        return jdbc.sql("select id from message where fingerprint = ? and state = ? and created_at >= ?"
                        + " order by created_at desc fetch first 1 rows only")
                .params(fingerprint, RELAYED, at(since))
                .query(UUID.class)
                .optional();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
