package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MessageRepository.NewFile;
import dev.todoke.gateway.MessageRepository.NewLink;
import dev.todoke.gateway.MessageRepository.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@link MessageRepository} must do on every database Todoke supports; one subclass per database,
 * each with a freshly migrated schema.
 */
abstract class MessageRepositoryContract {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    private JdbcClient jdbc;
    private MessageRepository repository;

    /** A data source on an empty schema migrated with V1 (and later versions). */
    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        DataSource dataSource = dataSource();
        jdbc = JdbcClient.create(dataSource);
        repository = new MessageRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    private static NewMessage message(UUID id, String fingerprint) {
        return new NewMessage(
                id,
                "sender@example.jp",
                "送信者 <sender@example.jp>",
                "件名 " + "x".repeat(3000),
                "<m1@example.jp>",
                fingerprint,
                NOW,
                NOW.plus(Duration.ofDays(7)),
                UUID.randomUUID().toString().replace("-", "") + "00000000000000000000000000000000");
    }

    @Test
    void insertWhenMessageWithFilesAndLinksThenAllRowsWrittenPending() {
        UUID id = UUID.randomUUID();
        NewFile file = new NewFile(UUID.randomUUID(), 0, "見積書.pdf", "application/pdf", 1234, "ab".repeat(32), "k1");
        NewLink link = new NewLink(UUID.randomUUID(), "b@example.com", "cd".repeat(32));

        repository.insert(message(id, "fp1"), List.of(file), List.of(link));

        assertThat(repository.state(id)).contains("pending");
        Map<String, Object> row = jdbc.sql("select subject, expires_at from message where id = ?")
                .param(id)
                .query()
                .singleRow();
        assertThat((String) row.get("subject")).hasSize(2000).startsWith("件名 ");
        assertThat(jdbc.sql("select name, size, blob_key from stored_file where message_id = ?")
                        .param(id)
                        .query()
                        .singleRow())
                .containsEntry("name", "見積書.pdf")
                .containsEntry("size", 1234L)
                .containsEntry("blob_key", "k1");
        assertThat(jdbc.sql("select recipient, token_hash, state from link where message_id = ?")
                        .param(id)
                        .query()
                        .singleRow())
                .containsEntry("recipient", "b@example.com")
                .containsEntry("token_hash", "cd".repeat(32))
                .containsEntry("state", "active");
        OffsetDateTime expires = jdbc.sql("select expires_at from message where id = ?")
                .param(id)
                .query(OffsetDateTime.class)
                .single();
        assertThat(expires.toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void insertWhenOneLinkFailsThenNothingWritten() {
        UUID id = UUID.randomUUID();
        NewFile file = new NewFile(UUID.randomUUID(), 0, "a.txt", "text/plain", 1, "ab".repeat(32), "k1");
        NewLink first = new NewLink(UUID.randomUUID(), "b@example.com", "cd".repeat(32));
        NewLink duplicate = new NewLink(UUID.randomUUID(), "b@example.com", "ef".repeat(32));

        assertThatThrownBy(() -> repository.insert(message(id, "fp"), List.of(file), List.of(first, duplicate)))
                .isInstanceOf(DataAccessException.class);

        assertThat(repository.state(id)).isEmpty();
        assertThat(jdbc.sql("select count(*) from stored_file")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void markStateWhenMessageExistsThenStateChanged() {
        UUID id = UUID.randomUUID();
        repository.insert(message(id, "fp"), List.of(), List.of());

        assertThat(repository.markState(id, MessageRepository.FAILED)).isTrue();

        assertThat(repository.state(id)).contains("failed");
        assertThat(repository.markState(UUID.randomUUID(), MessageRepository.FAILED))
                .isFalse();
    }

    @Test
    void findRelayedWhenSameFingerprintRelayedSinceThenFound() {
        UUID relayed = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        repository.insert(message(relayed, "same"), List.of(), List.of());
        repository.insert(message(failed, "other"), List.of(), List.of());
        repository.markState(relayed, MessageRepository.RELAYED);
        repository.markState(failed, MessageRepository.FAILED);

        assertThat(repository.findRelayed("same", NOW.minusSeconds(60))).contains(relayed);
        assertThat(repository.findRelayed("same", NOW.plusSeconds(60))).isEmpty();
        assertThat(repository.findRelayed("other", NOW.minusSeconds(60))).isEmpty();
    }

    @Test
    void recordOrphansWhenKeysGivenThenOneRowEach() {
        repository.recordOrphans(List.of("o1", "o2"), NOW);

        assertThat(jdbc.sql("select blob_key from orphan_blob order by blob_key")
                        .query(String.class)
                        .list())
                .containsExactly("o1", "o2");
    }
}
