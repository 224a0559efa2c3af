package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache around the check: hits, refresh, failure TTL, budgets, shared probes. */
class CachingTlsCheckerTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    final Map<String, TlsReport.Verdict> verdicts = new ConcurrentHashMap<>();
    volatile CountDownLatch release = new CountDownLatch(0);

    final CachingTlsChecker checker = new CachingTlsChecker(
            this::probe,
            Executors.newVirtualThreadPerTaskExecutor(),
            clock,
            Duration.ofHours(6),
            Duration.ofMinutes(10),
            100);

    private TlsReport probe(String domain) {
        probes.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new TlsReport(
                domain,
                verdicts.getOrDefault(domain, TlsReport.Verdict.TLS),
                clock.instant(),
                List.of(),
                TlsReport.MtaSts.NONE,
                TlsReport.Dane.NONE);
    }

    private int probeCount(String domain) {
        return probes.getOrDefault(domain, new AtomicInteger()).get();
    }

    @AfterEach
    void close() {
        release.countDown();
        checker.close();
    }

    @Test
    void checkWhenCalledTwiceThenProbesOnceAndNormalisesTheDomain() {
        TlsReport first = checker.check("Example.COM.", false);
        TlsReport second = checker.check("example.com", false);

        assertThat(second).isSameAs(first);
        assertThat(first.domain()).isEqualTo("example.com");
        assertThat(probeCount("example.com")).isEqualTo(1);
    }

    @Test
    void checkWhenRefreshThenProbesAgainAndReplacesTheCachedReport() {
        checker.check("example.com", false);
        clock.advance(Duration.ofMinutes(1));

        TlsReport refreshed = checker.check("example.com", true);

        assertThat(probeCount("example.com")).isEqualTo(2);
        assertThat(refreshed.checkedAt()).isEqualTo(Instant.parse("2026-11-23T09:01:00Z"));
        assertThat(checker.check("example.com", false)).isSameAs(refreshed);
    }

    @Test
    void checkWhenTtlPassedThenProbesAgain() {
        checker.check("example.com", false);
        clock.advance(Duration.ofHours(5));
        checker.check("example.com", false);
        assertThat(probeCount("example.com")).isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        checker.check("example.com", false);

        assertThat(probeCount("example.com")).isEqualTo(2);
    }

    @Test
    void checkWhenUnreachableThenCachedOnlyForTheFailureTtl() {
        verdicts.put("down.example", TlsReport.Verdict.UNREACHABLE);
        checker.check("down.example", false);
        clock.advance(Duration.ofMinutes(9));
        checker.check("down.example", false);
        assertThat(probeCount("down.example")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        checker.check("down.example", false);

        assertThat(probeCount("down.example")).isEqualTo(2);
    }

    @Test
    void checkWithinWhenProbeSlowerThanBudgetThenEmptyInTimeAndCachedLater() throws Exception {
        release = new CountDownLatch(1);
        long start = System.nanoTime();

        assertThat(checker.checkWithin("slow.example", Duration.ofMillis(200))).isEmpty();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(checker.cached("slow.example")).isEmpty();
        release.countDown();
        TlsReport report = checker.check("slow.example", false);
        assertThat(checker.cached("slow.example")).contains(report);
        assertThat(probeCount("slow.example")).isEqualTo(1);
    }

    @Test
    void checkWithinWhenZeroBudgetThenStartsProbeWithoutWaiting() throws Exception {
        release = new CountDownLatch(1);

        assertThat(checker.checkWithin("zero.example", Duration.ZERO)).isEmpty();

        release.countDown();
        assertThat(checker.checkWithin("zero.example", Duration.ofSeconds(5))).isPresent();
        assertThat(probeCount("zero.example")).isEqualTo(1);
    }

    @Test
    void cachedWhenNothingCheckedThenEmptyAndNoProbe() {
        assertThat(checker.cached("never.example")).isEmpty();
        assertThat(probeCount("never.example")).isZero();
    }

    @Test
    void checkWhenConcurrentCallersThenOneSharedProbe() throws Exception {
        release = new CountDownLatch(1);
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = List.of(
                    callers.submit(() -> checker.check("shared.example", false)),
                    callers.submit(() -> checker.check("shared.example", false)),
                    callers.submit(() -> checker.checkWithin("shared.example", Duration.ofSeconds(5))));
            Thread.sleep(100);
            release.countDown();
            for (var f : futures) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(probeCount("shared.example")).isEqualTo(1);
    }

    @Test
    void checkWhenInvalidDomainThenIllegalArgument() {
        assertThatThrownBy(() -> checker.check("not a domain", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checker.checkWithin("", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tlsSummariesWhenVerdictCachedThenPlainWordsInBothLanguagesElseEmptyWithoutProbing() {
        verdicts.put("nossl.example", TlsReport.Verdict.NO_TLS);
        checker.check("nossl.example", false);
        var summaries = new TlsConfiguration().tlsSummaries(checker);

        assertThat(summaries.summaryFor("nossl.example"))
                .hasValueSatisfying(s -> assertThat(s).contains("暗号化なし").contains("Not encrypted"));
        assertThat(summaries.summaryFor("unchecked.example")).isEmpty();
        assertThat(summaries.summaryFor("not a domain")).isEmpty();
        assertThat(probeCount("unchecked.example")).isZero();
    }
}
