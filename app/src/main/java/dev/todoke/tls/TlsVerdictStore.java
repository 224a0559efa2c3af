package dev.todoke.tls;

import java.sql.Timestamp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The TLS reports in table {@code tls_verdict}, one row per domain, shared by every replica on the
 * database (ADR 0120): the verdict code, the whole report as JSON, and when the check finished. A newer
 * report replaces an older one; an older one never replaces a newer. Thread-safe.
 *
 * <p>The table is a cache of public facts, not state: a read or write that fails is logged and treated
 * as "nothing stored", so a database outage costs a check, never a mail.
 */
final class TlsVerdictStore implements SharedReports {

    private static final Logger log = LoggerFactory.getLogger(TlsVerdictStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    TlsVerdictStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored report of a normalised domain, if any (however old: the caller judges freshness). */
    @Override
    public Optional<TlsReport> find(String domain) {
        try {
            return jdbc.sql("select detail from tls_verdict where domain = ?")
                    .param(domain)
                    .query(String.class)
                    .optional()
                    .flatMap(detail -> parse(domain, detail));
        } catch (DataAccessException e) {
            log.warn("Could not read the stored TLS verdict of {}: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores a report unless a newer one for its domain is already there. Never throws. */
    @Override
    public void save(TlsReport report) {
        try {
            String detail = JSON.writeValueAsString(report);
            Timestamp at = Timestamp.from(report.checkedAt());
            if (update(report, detail, at) > 0 || exists(report.domain())) {
                return;
            }
            try {
                jdbc.sql("insert into tls_verdict (domain, verdict, detail, checked_at) values (?, ?, ?, ?)")
                        .params(report.domain(), report.verdict().code(), detail, at)
                        .update();
            } catch (DuplicateKeyException e) {
                update(report, detail, at); // another replica inserted between our update and insert
            }
        } catch (DataAccessException | JacksonException e) {
            log.warn("Could not store the TLS verdict of {}: {}", report.domain(), e.getMessage());
        }
    }

    private int update(TlsReport report, String detail, Timestamp at) {
        return jdbc.sql(
                        "update tls_verdict set verdict = ?, detail = ?, checked_at = ? where domain = ? and checked_at <= ?")
                .params(report.verdict().code(), detail, at, report.domain(), at)
                .update();
    }

    private boolean exists(String domain) {
        return jdbc.sql("select count(*) from tls_verdict where domain = ?")
                        .param(domain)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    private static Optional<TlsReport> parse(String domain, String detail) {
        try {
            return Optional.of(JSON.readValue(detail, TlsReport.class));
        } catch (JacksonException e) {
            log.warn("Ignoring an unreadable stored TLS verdict of {}: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }
}
