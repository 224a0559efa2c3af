package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.Databases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The shared store of TLS reports (table {@code tls_verdict}, H2 migrated by Flyway; PostgreSQL in the
 * subclass) and the checker in
 * front of it: what one replica stored, another uses without probing, within the same lifetimes.
 */
class TlsVerdictStoreTest {

    static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    JdbcClient jdbc;
    TlsVerdictStore store;
    final MutableClock clock = new MutableClock(T0);
    final AtomicInteger probes = new AtomicInteger();
    CachingTlsChecker replica;

    static TlsReport report(String domain, TlsReport.Verdict verdict, Instant at) {
        return new TlsReport(
                domain,
                verdict,
                at,
                List.of(new TlsReport.MxHost(
                        "mx." + domain,
                        10,
                        true,
                        true,
                        "TLSv1.3",
                        "TLS_AES_128_GCM_SHA256",
                        true,
                        false,
                        "certificate does not name mx." + domain)),
                new TlsReport.MtaSts("testing", true),
                new TlsReport.Dane(true, false, true));
    }

    private CachingTlsChecker replica() {
        return new CachingTlsChecker(
                domain -> {
                    probes.incrementAndGet();
                    return report(domain, TlsReport.Verdict.NO_TLS, clock.instant());
                },
                Executors.newVirtualThreadPerTaskExecutor(),
                clock,
                Duration.ofHours(6),
                Duration.ofMinutes(10),
                100,
                store);
    }

    /** The database under test: H2 here, PostgreSQL in {@link TlsVerdictStorePostgresTest}. */
    DataSource dataSource() {
        return Databases.h2();
    }

    @BeforeEach
    void open() {
        jdbc = JdbcClient.create(dataSource());
        store = new TlsVerdictStore(jdbc);
    }

    @AfterEach
    void close() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void findWhenSavedThenTheWholeReportComesBackAndTheRowHoldsVerdictAndTime() {
        TlsReport saved = report("partner.example", TlsReport.Verdict.TLS, T0);

        store.save(saved);

        assertThat(store.find("partner.example")).contains(saved);
        assertThat(store.find("other.example")).isEmpty();
        assertThat(jdbc.sql("select verdict from tls_verdict where domain = 'partner.example'")
                        .query(String.class)
                        .single())
                .isEqualTo("tls");
        assertThat(jdbc.sql("select detail from tls_verdict")
                        .query(String.class)
                        .single())
                .contains("\"mx\"", "certificate does not name mx.partner.example");
    }

    @Test
    void saveWhenNewerThenReplacesAndWhenOlderThenKeepsTheNewer() {
        store.save(report("partner.example", TlsReport.Verdict.TLS, T0));
        store.save(report("partner.example", TlsReport.Verdict.NO_TLS, T0.plusSeconds(60)));
        store.save(report("partner.example", TlsReport.Verdict.TLS_VERIFIED, T0.plusSeconds(30)));

        assertThat(store.find("partner.example").orElseThrow().verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        assertThat(jdbc.sql("select count(*) from tls_verdict")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void findWhenDatabaseBrokenThenNothingAndSaveDoesNotThrow() {
        jdbc.sql("alter table tls_verdict rename to tls_verdict_gone").update();

        store.save(report("partner.example", TlsReport.Verdict.TLS, T0));

        assertThat(store.find("partner.example")).isEmpty();
    }

    @Test
    void checkWhenAnotherReplicaStoredAFreshReportThenUsedWithoutProbing() {
        store.save(report("partner.example", TlsReport.Verdict.TLS_VERIFIED, T0.minusSeconds(60)));
        replica = replica();

        assertThat(replica.check("partner.example", false).verdict()).isEqualTo(TlsReport.Verdict.TLS_VERIFIED);
        assertThat(replica.checkWithin("partner.example", Duration.ofSeconds(1)))
                .map(TlsReport::verdict)
                .contains(TlsReport.Verdict.TLS_VERIFIED);
        assertThat(probes).hasValue(0);
    }

    @Test
    void checkWhenStoredReportStaleThenProbesAndStoresTheNewReport() {
        store.save(report("partner.example", TlsReport.Verdict.TLS_VERIFIED, T0.minus(Duration.ofHours(7))));
        store.save(report("down.example", TlsReport.Verdict.UNREACHABLE, T0.minus(Duration.ofMinutes(11))));
        replica = replica();

        assertThat(replica.check("partner.example", false).verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        assertThat(replica.check("down.example", false).verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);

        assertThat(probes).hasValue(2);
        assertThat(store.find("partner.example").orElseThrow().checkedAt()).isEqualTo(T0);
    }

    @Test
    void checkWhenRefreshThenProbesDespiteAFreshStoredReport() {
        store.save(report("partner.example", TlsReport.Verdict.TLS_VERIFIED, T0));
        replica = replica();

        assertThat(replica.check("partner.example", true).verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        assertThat(probes).hasValue(1);
        assertThat(store.find("partner.example").orElseThrow().verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
    }

    @Test
    void cachedWhenOnlyTheStoreKnowsThenReadFromItAndKeptNearWithoutProbing() {
        replica = replica();
        assertThat(replica.cached("partner.example")).isEmpty();

        store.save(report("partner.example", TlsReport.Verdict.TLS, T0));

        assertThat(replica.cached("Partner.Example.")).map(TlsReport::verdict).contains(TlsReport.Verdict.TLS);
        jdbc.sql("delete from tls_verdict").update();
        assertThat(replica.cached("partner.example"))
                .as("kept in the near cache")
                .map(TlsReport::verdict)
                .contains(TlsReport.Verdict.TLS);
        clock.advance(Duration.ofHours(7));
        assertThat(replica.cached("partner.example")).isEmpty();
        assertThat(probes).hasValue(0);
    }
}
