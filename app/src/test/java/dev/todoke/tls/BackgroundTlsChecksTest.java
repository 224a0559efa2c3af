package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/** The checks arriving mail starts: never blocking, one per domain at a time, a bounded queue. */
class BackgroundTlsChecksTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    final CachingTlsChecker checker = new CachingTlsChecker(
            this::probe,
            Executors.newVirtualThreadPerTaskExecutor(),
            clock,
            Duration.ofHours(6),
            Duration.ofMinutes(10),
            100);
    BackgroundTlsChecks background;

    private TlsReport probe(String domain) {
        probes.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new TlsReport(
                domain, TlsReport.Verdict.TLS, clock.instant(), List.of(), TlsReport.MtaSts.NONE, TlsReport.Dane.NONE);
    }

    private int probeCount(String domain) {
        return probes.getOrDefault(domain, new AtomicInteger()).get();
    }

    @AfterEach
    void close() {
        release.countDown();
        if (background != null) {
            background.close();
        }
        checker.close();
    }

    @Test
    void startChecksWhenProbeSlowThenReturnsAtOnceAndVerdictKnownWhenItFinishes() {
        background = new BackgroundTlsChecks(checker, new TlsBackgroundProperties(true, 2, 10), registry);

        long started = System.nanoTime();
        background.startChecks(List.of("Partner.Example"));
        long took = System.nanoTime() - started;

        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(1));
        assertThat(background.knownVerdict("partner.example")).isEmpty();
        Eventually.within(Duration.ofSeconds(5), () -> probeCount("partner.example") == 1);
        release.countDown();
        Eventually.within(
                Duration.ofSeconds(5),
                () -> background.knownVerdict("partner.example").isPresent());
        assertThat(background.knownVerdict("partner.example").orElseThrow())
                .startsWith("暗号化あり")
                .contains(" / Encrypted: ");
    }

    @Test
    void checkWithinWhenBackgroundCheckRunningThenSharesItAndWaitsOnlyTheBudget() {
        background = new BackgroundTlsChecks(checker, new TlsBackgroundProperties(true, 2, 10), registry);
        background.startChecks(List.of("partner.example"));
        Eventually.within(Duration.ofSeconds(5), () -> probeCount("partner.example") == 1);

        long started = System.nanoTime();
        var verdict = checker.checkWithin("partner.example", Duration.ofMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(verdict).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(probeCount("partner.example")).isEqualTo(1);
    }

    @Test
    void startChecksWhenSameDomainAgainWhileCheckingThenOneProbe() {
        background = new BackgroundTlsChecks(checker, new TlsBackgroundProperties(true, 2, 10), registry);

        background.startChecks(List.of("partner.example", "partner.example"));
        background.startChecks(List.of("PARTNER.example"));
        assertThat(background.isChecking("partner.example")).isTrue();
        release.countDown();

        Eventually.within(Duration.ofSeconds(5), () -> !background.isChecking("partner.example"));
        background.startChecks(List.of("partner.example"));
        Eventually.within(Duration.ofSeconds(5), () -> !background.isChecking("partner.example"));
        assertThat(probeCount("partner.example"))
                .as("the second mail finds a fresh report")
                .isEqualTo(1);
    }

    @Test
    void startChecksWhenQueueFullThenDomainDroppedAndCounted() {
        background = new BackgroundTlsChecks(checker, new TlsBackgroundProperties(true, 1, 1), registry);

        background.startChecks(List.of("a.example", "b.example", "c.example", "d.example"));

        Eventually.within(Duration.ofSeconds(5), () -> probeCount("a.example") == 1);
        assertThat(registry.counter("todoke.tls.background.dropped").count()).isEqualTo(2.0);
        assertThat(background.isChecking("c.example")).isFalse();
        release.countDown();
        Eventually.within(Duration.ofSeconds(5), () -> probeCount("b.example") == 1);
        assertThat(probeCount("c.example") + probeCount("d.example")).isZero();
    }

    @Test
    void startChecksWhenDisabledOrInvalidDomainThenNothingStartsButKnownVerdictsStillShown() {
        background = new BackgroundTlsChecks(checker, new TlsBackgroundProperties(false, 1, 1), registry);
        release.countDown();
        checker.check("known.example", false);

        background.startChecks(List.of("partner.example", "not a domain"));

        assertThat(background.isChecking("partner.example")).isFalse();
        assertThat(probeCount("partner.example")).isZero();
        assertThat(background.knownVerdict("known.example")).isPresent();
        assertThat(background.knownVerdict("not a domain")).isEmpty();
    }
}
