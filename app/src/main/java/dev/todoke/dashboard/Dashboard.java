package dev.todoke.dashboard;

import dev.todoke.tls.TlsChecker;
import dev.todoke.tls.TlsReport;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The numbers of the console's dashboard for the last {@code days} days (today included), from the
 * database ({@link DashboardQueries}), and the TLS verdicts of the top recipient domains from the TLS
 * checker's cache (never probing: a domain nobody checked yet is {@code unknown}). Thread-safe.
 */
final class Dashboard {

    static final int TOP_DOMAINS = 15;
    static final int MAX_DAYS = 90;

    /** One day's numbers. */
    record Day(
            LocalDate date,
            long mails,
            long files,
            long bytes,
            long downloads,
            long codeFailures,
            long lockouts,
            long refused,
            long tempFailed) {}

    /** A top recipient domain: links sent to it and its TLS verdict ({@code unknown} when not checked). */
    record Domain(String domain, long links, String tls) {}

    /** Everything the dashboard shows. */
    record Report(
            Instant from,
            String zone,
            List<Day> days,
            Day totals,
            List<Domain> topDomains,
            Map<String, Long> tlsVerdicts) {}

    private final DashboardQueries queries;
    private final ObjectProvider<TlsChecker> tls;
    private final Clock clock;
    private final ZoneId zone;

    Dashboard(DashboardQueries queries, ObjectProvider<TlsChecker> tls, Clock clock, ZoneId zone) {
        this.queries = queries;
        this.tls = tls;
        this.clock = clock;
        this.zone = zone;
    }

    Report report(int days) {
        int n = Math.max(1, Math.min(MAX_DAYS, days));
        Instant now = clock.instant();
        ZoneOffset offset = zone.getRules().getOffset(now);
        LocalDate today = now.atOffset(offset).toLocalDate();
        LocalDate first = today.minusDays(n - 1L);
        Instant from = first.atStartOfDay().toInstant(offset);

        Map<LocalDate, Long> mails = queries.mails(from, offset);
        Map<LocalDate, Long> files = queries.files(from, offset);
        Map<LocalDate, Long> bytes = queries.bytes(from, offset);
        Map<LocalDate, Long> downloads = queries.downloads(from, offset);
        Map<LocalDate, Long> failures = queries.events("code-failed", from, offset);
        Map<LocalDate, Long> lockouts = queries.lockouts(from, offset);
        Map<LocalDate, Long> refused = queries.events("mail-refused", from, offset);
        Map<LocalDate, Long> tempFailed = queries.tempFailed(from, offset);
        List<Day> rows = new ArrayList<>(n);
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            rows.add(new Day(
                    d,
                    mails.getOrDefault(d, 0L),
                    files.getOrDefault(d, 0L),
                    bytes.getOrDefault(d, 0L),
                    downloads.getOrDefault(d, 0L),
                    failures.getOrDefault(d, 0L),
                    lockouts.getOrDefault(d, 0L),
                    refused.getOrDefault(d, 0L),
                    tempFailed.getOrDefault(d, 0L)));
        }

        List<Domain> domains = queries.topDomains(from, TOP_DOMAINS).stream()
                .map(d -> new Domain(d.domain(), d.links(), verdict(d.domain())))
                .toList();
        Map<String, Long> verdicts = new LinkedHashMap<>();
        for (TlsReport.Verdict v : TlsReport.Verdict.values()) {
            verdicts.put(v.code(), 0L);
        }
        verdicts.put("unknown", 0L);
        domains.forEach(d -> verdicts.merge(d.tls(), 1L, Long::sum));
        Day totals = new Day(
                null,
                rows.stream().mapToLong(Day::mails).sum(),
                rows.stream().mapToLong(Day::files).sum(),
                rows.stream().mapToLong(Day::bytes).sum(),
                rows.stream().mapToLong(Day::downloads).sum(),
                rows.stream().mapToLong(Day::codeFailures).sum(),
                rows.stream().mapToLong(Day::lockouts).sum(),
                rows.stream().mapToLong(Day::refused).sum(),
                rows.stream().mapToLong(Day::tempFailed).sum());
        return new Report(from, zone.getId(), rows, totals, domains, verdicts);
    }

    private String verdict(String domain) {
        TlsChecker checker = tls.getIfAvailable();
        if (checker == null) {
            return "unknown";
        }
        try {
            Optional<TlsReport> report = checker.cached(domain);
            return report.map(r -> r.verdict().code()).orElse("unknown");
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }
}
