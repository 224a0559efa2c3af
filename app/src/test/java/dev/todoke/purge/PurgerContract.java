package dev.todoke.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.audit.AuditKey;
import dev.todoke.audit.AuditLog;
import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.FaultyBlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import dev.todoke.storage.KeyRing;
import dev.todoke.storage.StoredBlob;
import dev.todoke.transfer.TransferCleanup;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the purger does, against a real database (H2 or PostgreSQL, migrated by Flyway) through the real
 * {@link TransferCleanup}, and the real encrypted filesystem store, with a fixed clock.
 */
interface PurgerContract {

    Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    PurgeProperties PROPERTIES = new PurgeProperties(true, Duration.ofMinutes(5), Duration.ofHours(1), 2);

    JdbcClient jdbc();

    javax.sql.DataSource dataSource();

    Path blobDir();

    default BlobStore blobs() {
        return new EncryptingBlobStore(
                new FileSystemBlobStore(blobDir(), new SecureRandom()),
                KeyRing.of(Map.of("t", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), "t"),
                new SecureRandom());
    }

    default Purger purger(BlobStore blobs) {
        TransferCleanup rows = new TransferCleanup(jdbc());
        AuditLog audit = new AuditLog(dataSource(), CLOCK, AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        Retention retention =
                new Retention(rows, audit, CLOCK, new RetentionProperties(Duration.ofDays(90)), PROPERTIES.batchSize());
        return new Purger(rows, blobs, audit, CLOCK, PROPERTIES, retention);
    }

    /** Inserts a message with one stored file per blob and returns its id. */
    default UUID message(String state, Instant created, Instant expires, String... blobKeys) {
        UUID id = UUID.randomUUID();
        jdbc().sql("insert into message (id, envelope_from, state, created_at, expires_at, manage_token_hash)"
                        + " values (?, ?, ?, ?, ?, ?)")
                .params(
                        id,
                        "sender@example.com",
                        state,
                        Timestamp.from(created),
                        Timestamp.from(expires),
                        id.toString())
                .update();
        for (int i = 0; i < blobKeys.length; i++) {
            jdbc().sql("insert into stored_file (id, message_id, ordinal, name, content_type, size, sha256, blob_key)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(UUID.randomUUID(), id, i, "file" + i + ".pdf", "application/pdf", 3, "00", blobKeys[i])
                    .update();
        }
        return id;
    }

    default void orphan(String blobKey, Instant created) {
        jdbc().sql("insert into orphan_blob (blob_key, created_at) values (?, ?)")
                .params(blobKey, Timestamp.from(created))
                .update();
    }

    default String blob(BlobStore blobs) {
        StoredBlob stored = blobs.put(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        return stored.key();
    }

    default String state(UUID id) {
        return jdbc().sql("select state from message where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    default boolean exists(BlobStore blobs, String key) {
        try {
            blobs.size(key);
            return true;
        } catch (BlobNotFoundException e) {
            return false;
        }
    }

    @Test
    default void purgeWhenMessageExpiredThenItsBlobsAreDeletedAndItIsMarkedPurged() {
        BlobStore blobs = blobs();
        String a = blob(blobs);
        String b = blob(blobs);
        String live = blob(blobs);
        UUID expired = message("relayed", NOW.minus(Duration.ofDays(8)), NOW.minusSeconds(1), a, b);
        UUID current = message("relayed", NOW.minus(Duration.ofDays(1)), NOW.plusSeconds(60), live);

        Purger.Report report = purger(blobs).purge();

        assertThat(state(expired)).isEqualTo("purged");
        assertThat(state(current)).isEqualTo("relayed");
        assertThat(exists(blobs, a)).isFalse();
        assertThat(exists(blobs, b)).isFalse();
        assertThat(exists(blobs, live)).isTrue();
        assertThat(report.expired()).isEqualTo(1);
        assertThat(report.blobsDeleted()).isEqualTo(2);
        assertThat(jdbc().sql("select count(*) from stored_file where message_id = ?")
                        .param(expired)
                        .query(Long.class)
                        .single())
                .as("file rows stay for the sender's page")
                .isEqualTo(2);
        assertThat(jdbc().sql("select detail from audit_event where kind = 'files-purged' and message_id = ?")
                        .param(expired)
                        .query(String.class)
                        .single())
                .isEqualTo("expired: 2 file(s) deleted");
    }

    @Test
    default void purgeWhenFailedOrPendingOlderThanGraceThenPurgedAndYoungerOnesKept() {
        BlobStore blobs = blobs();
        Instant old = NOW.minus(Duration.ofMinutes(61));
        Instant young = NOW.minus(Duration.ofMinutes(30));
        Instant expires = NOW.plus(Duration.ofDays(7));
        String[] keys = {blob(blobs), blob(blobs), blob(blobs), blob(blobs), blob(blobs)};
        UUID oldFailed = message("failed", old, expires, keys[0]);
        UUID oldPending = message("pending", old, expires, keys[1]);
        UUID youngFailed = message("failed", young, expires, keys[2]);
        UUID youngPending = message("pending", young, expires, keys[3]);
        UUID oldRelayed = message("relayed", old, expires, keys[4]);

        Purger.Report report = purger(blobs).purge();

        assertThat(List.of(state(oldFailed), state(oldPending))).containsOnly("purged");
        assertThat(List.of(state(youngFailed), state(youngPending), state(oldRelayed)))
                .containsExactly("failed", "pending", "relayed");
        assertThat(List.of(exists(blobs, keys[0]), exists(blobs, keys[1]))).containsOnly(false);
        assertThat(List.of(exists(blobs, keys[2]), exists(blobs, keys[3]), exists(blobs, keys[4])))
                .containsOnly(true);
        assertThat(report.abandoned()).isEqualTo(2);
    }

    @Test
    default void purgeWhenAnAbandonedAttemptReachedSomeoneThenKeptUntilItExpiresWithItsCopyTokens() {
        BlobStore blobs = blobs();
        String file = blob(blobs);
        String tokens = blob(blobs);
        Instant old = NOW.minus(Duration.ofHours(5));
        UUID reached = message("pending", old, NOW.plus(Duration.ofDays(7)), file);
        jdbc().sql("insert into copy_retry (message_id, message_key, context_blob, created_at) values (?, ?, ?, ?)")
                .params(reached, "k".repeat(64), tokens, Timestamp.from(old))
                .update();
        jdbc().sql("insert into copy_accepted (message_id, copy_key, accepted_at) values (?, ?, ?)")
                .params(reached, "copy:bob@partner.example", Timestamp.from(old))
                .update();

        Purger.Report kept = purger(blobs).purge();

        assertThat(kept.abandoned()).as("its link reached someone").isZero();
        assertThat(state(reached)).isEqualTo("pending");
        assertThat(List.of(exists(blobs, file), exists(blobs, tokens))).containsOnly(true);

        jdbc().sql("update message set expires_at = ? where id = ?")
                .params(Timestamp.from(NOW.minusSeconds(1)), reached)
                .update();
        Purger.Report expired = purger(blobs).purge();

        assertThat(expired.expired()).isEqualTo(1);
        assertThat(state(reached)).isEqualTo("purged");
        assertThat(List.of(exists(blobs, file), exists(blobs, tokens)))
                .as("the files and the kept copy tokens")
                .containsOnly(false);
    }

    default void link(UUID message, String recipient, String state, Instant revokedAt) {
        jdbc().sql("insert into link (id, message_id, recipient, token_hash, state, created_at, revoked_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        UUID.randomUUID(),
                        message,
                        recipient,
                        UUID.randomUUID().toString(),
                        state,
                        Timestamp.from(NOW.minus(Duration.ofDays(2))),
                        revokedAt == null ? null : Timestamp.from(revokedAt))
                .update();
    }

    @Test
    default void purgeWhenEveryLinkRevokedLongerThanGraceAgoThenPurgedAndOtherwiseKept() {
        BlobStore blobs = blobs();
        Instant expires = NOW.plus(Duration.ofDays(5));
        Instant created = NOW.minus(Duration.ofDays(2));
        String[] keys = {blob(blobs), blob(blobs), blob(blobs), blob(blobs)};
        UUID allRevoked = message("relayed", created, expires, keys[0]);
        link(allRevoked, "a@example.net", "revoked", NOW.minus(Duration.ofHours(2)));
        link(allRevoked, "b@example.net", "revoked", NOW.minus(Duration.ofHours(3)));
        UUID oneActive = message("relayed", created, expires, keys[1]);
        link(oneActive, "a@example.net", "revoked", NOW.minus(Duration.ofHours(2)));
        link(oneActive, "b@example.net", "active", null);
        UUID justRevoked = message("relayed", created, expires, keys[2]);
        link(justRevoked, "a@example.net", "revoked", NOW.minus(Duration.ofMinutes(10)));
        UUID noLinks = message("relayed", created, expires, keys[3]);

        Purger.Report report = purger(blobs).purge();

        assertThat(state(allRevoked)).isEqualTo("purged");
        assertThat(exists(blobs, keys[0])).isFalse();
        assertThat(List.of(state(oneActive), state(justRevoked), state(noLinks)))
                .containsOnly("relayed");
        assertThat(List.of(exists(blobs, keys[1]), exists(blobs, keys[2]), exists(blobs, keys[3])))
                .containsOnly(true);
        assertThat(report.revoked()).isEqualTo(1);
    }

    @Test
    default void purgeWhenOrphanOlderThanGraceThenBlobAndRowDeletedAndYoungerKept() {
        BlobStore blobs = blobs();
        String old = blob(blobs);
        String young = blob(blobs);
        orphan(old, NOW.minus(Duration.ofHours(2)));
        orphan(young, NOW.minus(Duration.ofMinutes(5)));

        Purger.Report report = purger(blobs).purge();

        assertThat(exists(blobs, old)).isFalse();
        assertThat(exists(blobs, young)).isTrue();
        assertThat(jdbc().sql("select blob_key from orphan_blob")
                        .query(String.class)
                        .list())
                .containsExactly(young);
        assertThat(report.orphans()).isEqualTo(1);
    }

    @Test
    default void purgeWhenOrphanRowNamesABlobALiveMessageStillUsesThenBlobKeptAndRowRemoved() {
        BlobStore blobs = blobs();
        String key = blob(blobs);
        UUID live = message("relayed", NOW.minus(Duration.ofHours(3)), NOW.plus(Duration.ofDays(1)), key);
        orphan(key, NOW.minus(Duration.ofHours(2)));

        purger(blobs).purge();

        assertThat(exists(blobs, key)).isTrue();
        assertThat(state(live)).isEqualTo("relayed");
        assertThat(jdbc().sql("select count(*) from orphan_blob")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    default void purgeWhenBlobsAlreadyGoneThenStillMarksPurgedAndSecondRunDoesNothing() {
        BlobStore blobs = blobs();
        String key = blob(blobs);
        blobs.delete(key);
        UUID expired = message("relayed", NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(1)), key);
        orphan(key, NOW.minus(Duration.ofDays(1)));

        purger(blobs).purge();
        Purger.Report second = purger(blobs).purge();

        assertThat(state(expired)).isEqualTo("purged");
        assertThat(second.nothing()).isTrue();
    }

    @Test
    default void purgeWhenMoreThanOneBatchDueThenAllArePurged() {
        BlobStore blobs = blobs();
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(message("relayed", NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(1)), blob(blobs)));
            orphan(blob(blobs), NOW.minus(Duration.ofDays(1)));
        }

        Purger.Report report = purger(blobs).purge();

        assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("purged"));
        assertThat(report.expired()).isEqualTo(7);
        assertThat(report.orphans()).isEqualTo(7);
        assertThat(report.blobsDeleted()).isEqualTo(14);
    }

    @Test
    default void purgeWhenStorageFailsThenMessageIsLeftForTheNextRun() {
        BlobStore blobs = blobs();
        String key = blob(blobs);
        UUID expired = message("relayed", NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(1)), key);
        BlobStore flaky = FaultyBlobStore.firstDeletesFail(1, blobs);

        Purger.Report first = purger(flaky).purge();

        assertThat(first.failures()).isEqualTo(1);
        assertThat(state(expired)).isEqualTo("relayed");
        assertThat(exists(blobs, key)).isTrue();

        purger(flaky).purge();

        assertThat(state(expired)).isEqualTo("purged");
        assertThat(exists(blobs, key)).isFalse();
    }

    @Test
    default void purgeWhenTwoReplicasRunAtOnceThenEverythingIsPurgedOnceWithoutErrors() {
        BlobStore blobs = blobs();
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(message(
                    "failed", NOW.minus(Duration.ofHours(5)), NOW.plus(Duration.ofDays(1)), blob(blobs), blob(blobs)));
        }

        CompletableFuture<Purger.Report> one =
                CompletableFuture.supplyAsync(() -> purger(blobs).purge());
        CompletableFuture<Purger.Report> two =
                CompletableFuture.supplyAsync(() -> purger(blobs).purge());

        assertThat(one.join().abandoned() + two.join().abandoned()).isEqualTo(10);
        assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("purged"));
        assertThat(jdbc().sql("select count(*) from audit_event where kind = 'files-purged'")
                        .query(Long.class)
                        .single())
                .isEqualTo(10);
    }

    @Test
    default void runQuietlyWhenFilesPurgedAndRetentionPassedThenTheMessageRowsGoToo() {
        BlobStore blobs = blobs();
        UUID longExpired =
                message("relayed", NOW.minus(Duration.ofDays(200)), NOW.minus(Duration.ofDays(91)), blob(blobs));
        UUID justExpired =
                message("relayed", NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(1)), blob(blobs));

        purger(blobs).runQuietly();

        assertThat(jdbc().sql("select id from message").query(UUID.class).list())
                .containsExactly(justExpired)
                .doesNotContain(longExpired);
        assertThat(state(justExpired)).isEqualTo("purged");
    }

    @Test
    default void propertiesWhenGraceShorterThanAnSmtpTransactionThenRejected() {
        assertThatThrownBy(() -> new PurgeProperties(true, Duration.ofMinutes(5), Duration.ofMinutes(1), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("todoke.purge.grace");
    }
}
