package dev.todoke.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.audit.AuditKey;
import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.web.Databases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The policy store on a real (H2) database: versions, If-Match, history, audit, and two replicas. */
class PolicyStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private final DataSource dataSource = Databases.h2();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);

    private PolicyStore store(Duration refresh) {
        return new PolicyStore(
                new PolicyRows(jdbc),
                new AuditLog(dataSource, CLOCK, AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
                CLOCK,
                new PolicyProperties(refresh));
    }

    @Test
    void readWhenNothingStoredThenVersionZeroAndAnEmptySet() {
        PolicyStore.Snapshot snapshot = store(Duration.ZERO).read();

        assertThat(snapshot.version()).isZero();
        assertThat(snapshot.etag()).isEqualTo("\"0\"");
        assertThat(snapshot.document().toString())
                .isEqualTo("{\"defaults\":{},\"recipientDomains\":[],\"senders\":[],\"version\":0,"
                        + "\"updatedAt\":null,\"updatedBy\":null}");
        assertThat(store(Duration.ZERO).current().version()).isZero();
    }

    @Test
    void replaceWhenEtagMatchesThenNewVersionHistoryAndAuditWithBeforeAndAfter() {
        PolicyStore store = store(Duration.ZERO);

        PolicyStore.Snapshot first =
                store.replace("\"0\"", "{\"defaults\": {\"tls\": \"link\"}}", "admin:a", "10.0.0.1");
        PolicyStore.Snapshot second =
                store.replace("W/\"9\", \"1\"", "{\"defaults\": {\"tls\": \"keep-if-verified\"}}", "admin:b", null);

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.etag()).isEqualTo("\"2\"");
        assertThat(second.document().get("updatedBy").asString()).isEqualTo("admin:b");
        assertThat(second.document().get("updatedAt").asString()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(jdbc.sql("select document from policy_history order by version")
                        .query(String.class)
                        .list())
                .containsExactly(
                        "{\"defaults\":{\"tls\":\"link\"},\"recipientDomains\":[],\"senders\":[]}",
                        "{\"defaults\":{\"tls\":\"keep-if-verified\"},\"recipientDomains\":[],\"senders\":[]}");
        List<String> audit = jdbc.sql(
                        "select actor || ' ' || detail from audit_event where kind = 'policy-changed' order by id")
                .query(String.class)
                .list();
        assertThat(audit.get(1))
                .isEqualTo("admin:b {\"subject\":\"policies version 1 -> 2\",\"before\":{\"defaults\":{\"tls\":"
                        + "\"link\"},\"recipientDomains\":[],\"senders\":[]},\"after\":{\"defaults\":{\"tls\":"
                        + "\"keep-if-verified\"},\"recipientDomains\":[],\"senders\":[]}}");
    }

    @Test
    void replaceWhenEtagIsStaleOrMissingThenRefusedAndNothingChanges() {
        PolicyStore store = store(Duration.ZERO);
        store.replace("*", "{}", "admin:x", null);

        assertThatThrownBy(() -> store.replace("\"0\"", "{}", "admin:x", null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.STALE);
                    assertThat(e.details()).containsEntry("currentVersion", 1L);
                });
        assertThatThrownBy(() -> store.replace(null, "{}", "admin:x", null))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.PRECONDITION_REQUIRED));
        assertThatThrownBy(() -> store.replace("\"1\"", "", "admin:x", null))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("invalid-policy"));
        assertThat(store.read().version()).isEqualTo(1);
    }

    @Test
    void currentWhenAnotherReplicaChangesTheSetThenSeenAfterTheRefreshAtMost() throws Exception {
        PolicyStore here = store(Duration.ofMillis(300));
        PolicyStore there = store(Duration.ofMillis(300));
        assertThat(there.current().version()).isZero();

        here.replace("\"0\"", "{\"defaults\": {\"tls\": \"refuse-if-no-tls\"}}", "admin:x", null);

        assertThat(here.current().version()).isEqualTo(1);
        Thread.sleep(350);
        Policies seen = there.current();
        assertThat(seen.version()).isEqualTo(1);
        assertThat(seen.tls("a@corp.example", Set.of(), "b@x.example")
                        .fallback()
                        .orElseThrow()
                        .action())
                .isEqualTo("refuse-if-no-tls");
    }

    @Test
    void groupsWhenRememberedThenReplacedPerSenderCaseInsensitive() {
        PolicyStore store = store(Duration.ZERO);

        store.rememberGroups("Taro@Corp.example", List.of("sales", "legal"));
        store.rememberGroups("taro@corp.example", List.of("sales"));

        assertThat(store.groupsOf("TARO@corp.example")).containsExactly("sales");
        assertThat(store.groupsOf("hana@corp.example")).isEmpty();
        assertThat(store.groupsOf("")).isEmpty();
    }

    @Test
    void signInWhenManagerClaimedThenRememberedReplacedAndForgottenWithoutOne() {
        PolicyStore store = store(Duration.ZERO);

        store.rememberSignIn("Taro@Corp.example", List.of("sales"), "boss@corp.example");
        assertThat(store.managerOf("TARO@corp.example")).contains("boss@corp.example");
        assertThat(store.groupsOf("taro@corp.example")).containsExactly("sales");

        store.rememberSignIn("taro@corp.example", List.of(), "Chief@Corp.example");
        assertThat(store.managerOf("taro@corp.example")).contains("chief@corp.example");
        assertThat(store.groupsOf("taro@corp.example")).isEmpty();

        store.rememberSignIn("taro@corp.example", List.of("legal"), null);
        assertThat(store.managerOf("taro@corp.example")).isEmpty();
        assertThat(store.managerOf("hana@corp.example")).isEmpty();
        assertThat(store.managerOf("")).isEmpty();
    }
}
