package dev.todoke.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.transfer.Transfers.NewLink;
import dev.todoke.transfer.Transfers.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * What {@link Transfers} must do on every database Todoke supports; one subclass per database, each with
 * a freshly migrated schema.
 */
abstract class TransfersContract {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    private JdbcClient jdbc;
    private Transfers repository;
    private final List<Object> events = new ArrayList<>();

    /** A data source on an empty schema migrated with V1 (and later versions). */
    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        DataSource dataSource = dataSource();
        jdbc = JdbcClient.create(dataSource);
        repository =
                new Transfers(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), events::add);
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
                hash(id));
    }

    /** A 64-character stand-in for a token's hash, distinct per id. */
    private static String hash(UUID id) {
        return id.toString().replace("-", "") + "00000000000000000000000000000000";
    }

    private static StoredFile file(int ordinal, String name, String blobKey) {
        return new StoredFile(
                UUID.randomUUID(), ordinal, name, "text/plain", 10 + ordinal, "%064d".formatted(ordinal), blobKey);
    }

    /** A message with two files (listed b.txt, a.txt) and links for hanako and jiro; relayed. */
    private record Sent(UUID id, List<StoredFile> files, NewLink hanako, NewLink jiro) {}

    private Sent sent() {
        UUID id = UUID.randomUUID();
        List<StoredFile> files = List.of(file(0, "b.txt", "kb-" + id), file(1, "a.txt", "ka-" + id));
        NewLink hanako = new NewLink(UUID.randomUUID(), "hanako@example.com", hash(UUID.randomUUID()));
        NewLink jiro = new NewLink(UUID.randomUUID(), "jiro@example.com", hash(UUID.randomUUID()));
        repository.insert(message(id, "fp-" + id), files, List.of(jiro, hanako));
        repository.markState(id, MessageState.RELAYED);
        return new Sent(id, files, hanako, jiro);
    }

    @Test
    void insertWhenMessageWithFilesAndLinksThenAllRowsWrittenPending() {
        UUID id = UUID.randomUUID();
        StoredFile file =
                new StoredFile(UUID.randomUUID(), 0, "見積書.pdf", "application/pdf", 1234, "ab".repeat(32), "k1");
        NewLink link = new NewLink(UUID.randomUUID(), "b@example.com", "cd".repeat(32));

        repository.insert(message(id, "fp1"), List.of(file), List.of(link));

        assertThat(repository.state(id)).contains(MessageState.PENDING);
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
        StoredFile file = new StoredFile(UUID.randomUUID(), 0, "a.txt", "text/plain", 1, "ab".repeat(32), "k1");
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

        assertThat(repository.markState(id, MessageState.FAILED)).isTrue();

        assertThat(repository.state(id)).contains(MessageState.FAILED);
        assertThat(jdbc.sql("select state from message where id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("failed");
        assertThat(repository.markState(UUID.randomUUID(), MessageState.FAILED)).isFalse();
    }

    @Test
    void findRelayedWhenSameFingerprintRelayedSinceThenFound() {
        UUID relayed = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        repository.insert(message(relayed, "same"), List.of(), List.of());
        repository.insert(message(failed, "other"), List.of(), List.of());
        repository.markState(relayed, MessageState.RELAYED);
        repository.markState(failed, MessageState.FAILED);

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

    @Test
    void findLinkWhenKnownHashThenLinkWithItsMessageAndFileCount() {
        Sent sent = sent();

        Transfers.LinkedMessage found =
                repository.findLink(sent.hanako().tokenHash()).orElseThrow();

        assertThat(found.link().id()).isEqualTo(sent.hanako().id());
        assertThat(found.link().messageId()).isEqualTo(sent.id());
        assertThat(found.link().recipient()).isEqualTo("hanako@example.com");
        assertThat(found.link().revoked()).isFalse();
        assertThat(found.link().createdAt()).isEqualTo(NOW);
        assertThat(found.link().revokedAt()).isNull();
        assertThat(found.message().id()).isEqualTo(sent.id());
        assertThat(found.message().headerFrom()).isEqualTo("送信者 <sender@example.jp>");
        assertThat(found.message().envelopeFrom()).isEqualTo("sender@example.jp");
        assertThat(found.message().state()).isEqualTo(MessageState.RELAYED);
        assertThat(found.message().createdAt()).isEqualTo(NOW);
        assertThat(found.message().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(found.fileCount()).isEqualTo(2);
    }

    @Test
    void findLinkWhenUnknownHashOrManageTokenHashThenEmpty() {
        Sent sent = sent();

        assertThat(repository.findLink("00".repeat(32))).isEmpty();
        assertThat(repository.findLink(hash(sent.id()))).isEmpty();
    }

    @Test
    void filesWhenListedThenInTheMessagesOrder() {
        Sent sent = sent();

        assertThat(repository.files(sent.id())).extracting(StoredFile::name).containsExactly("b.txt", "a.txt");
        assertThat(repository.files(sent.id())).containsExactlyElementsOf(sent.files());
        assertThat(repository.file(sent.id(), sent.files().get(1).id()))
                .hasValueSatisfying(f ->
                        assertThat(f.sha256()).isEqualTo(sent.files().get(1).sha256()));
        assertThat(repository.file(UUID.randomUUID(), sent.files().get(1).id())).isEmpty();
    }

    @Test
    void recordDownloadWhenFirstThenTrueAfterwardsFalse() {
        Sent sent = sent();
        UUID link = sent.hanako().id();

        assertThat(repository.recordDownload(link, sent.files().get(0).id(), NOW, "192.0.2.1"))
                .isTrue();
        assertThat(repository.recordDownload(link, null, NOW, "192.0.2.1")).isFalse();
        assertThat(repository.recordDownload(sent.jiro().id(), null, NOW, "192.0.2.2"))
                .isTrue();
    }

    @Test
    void downloadsWhenRecordedThroughSeveralLinksThenOldestFirstWithZipAsNullFile() {
        Sent sent = sent();
        Sent other = sent();
        UUID file = sent.files().get(1).id();
        repository.recordDownload(sent.jiro().id(), null, NOW.plusSeconds(20), "192.0.2.2");
        repository.recordDownload(sent.hanako().id(), file, NOW.plusSeconds(10), "192.0.2.1");
        repository.recordDownload(other.hanako().id(), null, NOW.plusSeconds(5), "192.0.2.3");

        assertThat(repository.downloads(sent.id()))
                .containsExactly(
                        new Transfers.Download(sent.hanako().id(), file, NOW.plusSeconds(10)),
                        new Transfers.Download(sent.jiro().id(), null, NOW.plusSeconds(20)));
    }

    @Test
    void findByManageTokenWhenKnownHashThenMessageElseEmpty() {
        Sent sent = sent();

        Transfers.Message message =
                repository.findByManageToken(hash(sent.id())).orElseThrow();

        assertThat(message.id()).isEqualTo(sent.id());
        assertThat(message.subject()).hasSize(2000).startsWith("件名 ");
        assertThat(message.state()).isEqualTo(MessageState.RELAYED);
        assertThat(repository.findByManageToken(sent.hanako().tokenHash())).isEmpty();
    }

    @Test
    void revokeWhenActiveThenRevokedOnceListedAndEventPublished() {
        Sent sent = sent();
        Instant at = NOW.plus(Duration.ofHours(1));

        assertThat(repository.revoke(sent.jiro().id(), at)).isTrue();
        assertThat(repository.revoke(sent.jiro().id(), at.plusSeconds(60))).isFalse();

        assertThat(events).containsExactly(new LinkRevoked(sent.jiro().id()));
        List<Transfers.Link> links = repository.links(sent.id());
        assertThat(links)
                .extracting(Transfers.Link::recipient)
                .containsExactly("hanako@example.com", "jiro@example.com");
        assertThat(links).extracting(Transfers.Link::revoked).containsExactly(false, true);
        assertThat(links.get(1).revokedAt()).isEqualTo(at);
        assertThat(links.get(0).revokedAt()).isNull();
    }

    @Test
    void setExpiryWhenMovedThenReadBackAndOtherMessagesUnchanged() {
        Sent sent = sent();
        Sent other = sent();

        repository.setExpiry(sent.id(), NOW.plus(Duration.ofDays(2)));

        assertThat(repository.findByManageToken(hash(sent.id())).orElseThrow().expiresAt())
                .isEqualTo(NOW.plus(Duration.ofDays(2)));
        assertThat(repository.findByManageToken(hash(other.id())).orElseThrow().expiresAt())
                .isEqualTo(NOW.plus(Duration.ofDays(7)));
    }
}
