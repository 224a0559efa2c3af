package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit chain against a real database (H2 or PostgreSQL, migrated by Flyway): what is recorded, that
 * rows from many threads and several {@link AuditLog} instances (as replicas) form one chain, and that
 * verification finds a row deleted, changed or emptied directly in the database.
 */
interface AuditLogContract {

    Instant NOW = Instant.parse("2026-12-01T12:00:00.123456789Z");
    AuditKey KEY = AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    AuditQuery.Verification OK = new AuditQuery.Verification(true, null);

    DataSource dataSource();

    default JdbcClient jdbc() {
        return JdbcClient.create(dataSource());
    }

    default AuditLog log() {
        return new AuditLog(dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), KEY);
    }

    default AuditQuery query() {
        return new AuditQuery(dataSource(), KEY);
    }

    /** Records {@code n} events; returns their ids in order. */
    default List<Long> record(int n) {
        AuditLog log = log();
        for (int i = 0; i < n; i++) {
            log.record(AuditLog.recipient("hanako@partner.example"), "link-viewed", null, null, "h@p", "::1", "#" + i);
        }
        return ids();
    }

    default List<Long> ids() {
        return jdbc().sql("select id from audit_event order by id")
                .query(Long.class)
                .list();
    }

    @Test
    default void verifyWhenEmptyThenOk() {
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void recordWhenSixArgumentsAndNoOneActedThenSystemActorAndAChainValueAndMicrosecondTime() {
        UUID message = UUID.randomUUID();
        UUID link = UUID.randomUUID();

        log().record("files-purged", message, link, "taro@corp.example", "203.0.113.7", "2 file(s) deleted");

        AuditQuery.Event event =
                query().search(AuditQuery.Filter.all(), 0, 10).items().getFirst();
        assertThat(event.actor()).isEqualTo("system");
        assertThat(event.action()).isEqualTo("files-purged");
        assertThat(event.transfer()).isEqualTo(message);
        assertThat(event.linkId()).isEqualTo(link);
        assertThat(event.address()).isEqualTo("taro@corp.example");
        assertThat(event.clientIp()).isEqualTo("203.0.113.7");
        assertThat(event.detail()).isEqualTo("2 file(s) deleted");
        assertThat(event.at()).isEqualTo(Instant.parse("2026-12-01T12:00:00.123456Z"));
        assertThat(event.chain()).matches("[0-9a-f]{64}");
        assertThat(event.chain())
                .isEqualTo(new AuditChain(KEY).next(AuditChain.GENESIS, event))
                .isNotEqualTo(new AuditChain(AuditKey.of("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
                        .next(AuditChain.GENESIS, event));
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void recordWhenNoActorGivenThenDerivedFromWhatCallersAlwaysPassed() {
        UUID message = UUID.randomUUID();
        jdbc().sql("insert into message (id, envelope_from, subject, state, created_at, expires_at, manage_token_hash)"
                        + " values (?, 'taro@corp.example', 's', 'relayed', current_timestamp, current_timestamp, ?)")
                .params(message, message.toString())
                .update();
        UUID link = UUID.randomUUID();
        AuditLog log = log();

        log.record("link-revoked", message, link, "h@p.example", "::1", "by sender");
        log.record("expiry-changed", message, null, "taro@corp.example", "::1", "from a to b");
        log.record("expiry-changed", message, null, "taro@corp.example", "::1", "from a to b by admin alice");
        log.record("policy-changed", null, null, null, "::1", "version 1 -> 2 by admin bob; before: {}");
        log.record("link-revoked", message, link, "h@p.example", "::1", "by admin");
        log.record("code-sent", message, link, "h@p.example", "::1", null);
        log.record("file-downloaded", message, link, "h@p.example", "::1", "file x");
        log.record("mail-approved", message, null, "boss@corp.example", "::1", "by approver");
        log.record("mail-refused", null, null, "x@corp.example", "::1", "554 refused by sender policy rules");
        log.record("files-purged", message, null, null, null, "expired: 1 file(s) deleted");

        assertThat(jdbc().sql("select actor from audit_event order by id")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "sender:taro@corp.example",
                        "sender:taro@corp.example",
                        "admin:alice",
                        "admin:bob",
                        "admin:(unknown)",
                        "recipient:h@p.example",
                        "recipient:h@p.example",
                        "approver:boss@corp.example",
                        "system",
                        "system");
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void recordWhenDetailLongerThan4000ThenCutAndStillVerifies() {
        log().record(AuditLog.SYSTEM, "x", null, null, null, null, "é".repeat(4100));

        assertThat(jdbc().sql("select detail from audit_event")
                        .query(String.class)
                        .single())
                .hasSize(4000);
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void recordChangeThenBeforeAndAfterAsJsonDetail() {
        record Policy(String domain, String action) {}

        log().recordChange(
                        AuditLog.admin("alice"),
                        "policy-changed",
                        "domain partner.example",
                        "198.51.100.2",
                        new Policy("partner.example", "link"),
                        new Policy("partner.example", "refuse-if-no-tls"));

        AuditQuery.Event event =
                query().search(AuditQuery.Filter.all(), 0, 1).items().getFirst();
        JsonNode detail = JsonMapper.builder().build().readTree(event.detail());
        assertThat(event.actor()).isEqualTo("admin:alice");
        assertThat(event.clientIp()).isEqualTo("198.51.100.2");
        assertThat(detail.get("subject").asString()).isEqualTo("domain partner.example");
        assertThat(detail.get("before").get("action").asString()).isEqualTo("link");
        assertThat(detail.get("after").get("action").asString()).isEqualTo("refuse-if-no-tls");
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void verifyWhenMiddleRowDeletedThenTheNextOneIsTheFirstBroken() {
        List<Long> ids = record(5);

        jdbc().sql("delete from audit_event where id = ?").param(ids.get(2)).update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(3)));
    }

    @Test
    default void verifyWhenDetailEditedThenThatRowIsTheFirstBroken() {
        List<Long> ids = record(5);

        jdbc().sql("update audit_event set detail = 'nothing happened' where id = ?")
                .param(ids.get(1))
                .update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(1)));
    }

    @Test
    default void verifyWhenLastRowEditedThenItIsTheFirstBroken() {
        List<Long> ids = record(3);

        jdbc().sql("update audit_event set actor = 'system' where id = ?")
                .param(ids.getLast())
                .update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.getLast()));
    }

    @Test
    default void verifyWhenLastRowDeletedThenItsIdIsTheFirstBroken() {
        List<Long> ids = record(3);

        jdbc().sql("delete from audit_event where id = ?").param(ids.getLast()).update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.getLast()));
    }

    @Test
    default void verifyWhenFirstRowDeletedOrItsChainEmptiedThenDetected() {
        List<Long> ids = record(3);

        jdbc().sql("update audit_event set chain = null where id = ?")
                .param(ids.getFirst())
                .update();
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(1)));

        jdbc().sql("delete from audit_event where id = ?").param(ids.getFirst()).update();
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(1)));
    }

    @Test
    default void verifyWhenChainCopiedFromAnotherRowThenDetected() {
        List<Long> ids = record(3);

        jdbc().sql("update audit_event set chain = (select chain from audit_event where id = ?) where id = ?")
                .params(ids.get(0), ids.get(1))
                .update();

        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(1)));
    }

    @Test
    default void recordWhenManyThreadsAndTwoInstancesThenOneLinearChain() throws Exception {
        AuditLog replicaA = log();
        AuditLog replicaB = new AuditLog(dataSource(), Clock.systemUTC(), KEY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                AuditLog log = t % 2 == 0 ? replicaA : replicaB;
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        log.record(AuditLog.SYSTEM, "load", null, null, null, null, thread + "/" + i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids()).hasSize(200);
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void verifyAndEachWhenMoreRowsThanOneBatchThenStreamAll() {
        List<Long> ids = record(AuditQuery.BATCH + 5);
        List<Long> streamed = new ArrayList<>();

        query().each(AuditQuery.Filter.all(), e -> streamed.add(e.id()));

        assertThat(streamed).isEqualTo(ids);
        assertThat(query().verify()).isEqualTo(OK);
        jdbc().sql("update audit_event set detail = 'x' where id = ?")
                .param(ids.get(AuditQuery.BATCH + 2))
                .update();
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, ids.get(AuditQuery.BATCH + 2)));
    }

    @Test
    default void deleteThroughThenAnchorKeepsTheChainVerifiableAndSkippingItIsDetected() {
        List<Long> ids = record(5);
        AuditLog log = log();

        int deleted = log.deleteThrough(ids.get(2), NOW.plusSeconds(1));

        assertThat(deleted).isEqualTo(3);
        AuditQuery.Event anchor =
                query().search(AuditQuery.Filter.all(), 0, 1).items().getFirst();
        assertThat(anchor.action()).isEqualTo(AuditLog.ANCHOR);
        assertThat(anchor.detail()).startsWith("{\"through\":" + ids.get(2) + ",\"chain\":\"");
        assertThat(query().verify()).isEqualTo(OK);

        log.deleteThrough(ids.get(3), NOW.plusSeconds(1));
        assertThat(query().verify()).as("after a second trim").isEqualTo(OK);

        jdbc().sql("delete from audit_event where id = ?").param(ids.get(4)).update();
        List<Long> left = ids();
        assertThat(query().verify()).isEqualTo(new AuditQuery.Verification(false, left.getFirst()));
    }

    @Test
    default void deleteThroughWhenARowIsNotOldEnoughThenStopsBeforeIt() {
        AuditLog old = new AuditLog(dataSource(), Clock.fixed(NOW.minus(Duration.ofDays(9)), ZoneOffset.UTC), KEY);
        old.record("a", null, null, null, null, null);
        log().record("b", null, null, null, null, null);
        old.record("c", null, null, null, null, null);
        List<Long> ids = ids();

        int deleted = old.deleteThrough(ids.get(2), NOW.minus(Duration.ofDays(1)));

        assertThat(deleted).isEqualTo(1);
        assertThat(ids()).startsWith(ids.get(1), ids.get(2));
        assertThat(query().verify()).isEqualTo(OK);
    }

    @Test
    default void searchWhenFiltersThenOnlyMatchingNewestFirstWithTotal() {
        UUID transfer = UUID.randomUUID();
        AuditLog early =
                new AuditLog(dataSource(), Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC), KEY);
        AuditLog late = log();
        early.record(AuditLog.sender("taro@corp.example"), "link-revoked", transfer, null, "h@p", null, null);
        late.record(AuditLog.sender("taro@corp.example"), "expiry-changed", transfer, null, null, null, null);
        late.record(AuditLog.recipient("h@p"), "link-viewed", transfer, null, null, null, null);
        late.record(AuditLog.recipient("h@p"), "link-viewed", UUID.randomUUID(), null, null, null, null);
        AuditQuery q = query();

        AuditQuery.Page bySender =
                q.search(new AuditQuery.Filter(null, null, "sender:taro@corp.example", null, null, null), 0, 50);
        AuditQuery.Page byTransferAndAction =
                q.search(new AuditQuery.Filter(null, null, null, "link-viewed", transfer, null), 0, 50);
        AuditQuery.Page byTime = q.search(
                new AuditQuery.Filter(
                        Instant.parse("2026-10-31T00:00:00Z"),
                        Instant.parse("2026-11-02T00:00:00Z"),
                        null,
                        null,
                        null,
                        null),
                0,
                50);
        AuditQuery.Page secondPage = q.search(AuditQuery.Filter.all(), 1, 3);
        AuditQuery.Page firstPage = q.search(AuditQuery.Filter.all(), 0, 3);
        AuditQuery.Page keyset = q.search(
                new AuditQuery.Filter(
                        null,
                        null,
                        null,
                        null,
                        null,
                        firstPage.items().getLast().id()),
                0,
                3);

        assertThat(bySender.items())
                .extracting(AuditQuery.Event::action)
                .containsExactly("expiry-changed", "link-revoked");
        assertThat(bySender.total()).isEqualTo(2);
        assertThat(byTransferAndAction.items())
                .singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("recipient:h@p"));
        assertThat(byTime.items()).extracting(AuditQuery.Event::action).containsExactly("link-revoked");
        assertThat(firstPage.total()).isEqualTo(4);
        assertThat(firstPage.items())
                .extracting(AuditQuery.Event::action)
                .containsExactly("link-viewed", "link-viewed", "expiry-changed");
        assertThat(secondPage.items()).extracting(AuditQuery.Event::action).containsExactly("link-revoked");
        assertThat(secondPage.total()).isEqualTo(4);
        assertThat(keyset.items()).isEqualTo(secondPage.items());
    }
}
