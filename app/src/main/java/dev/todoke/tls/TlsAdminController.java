package dev.todoke.tls;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.todoke.common.DomainException;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/tls/{domain}[?refresh=true]}: the full TLS report of a domain as JSON. Waits
 * for the probe (at most {@code todoke.tls.check-timeout}). Authentication is done by the admin filter
 * in {@code dev.todoke.admin}; errors are answered by {@code dev.todoke.web.WebErrorAdvice}.
 */
@RestController
class TlsAdminController {

    private final TlsChecker checker;

    TlsAdminController(TlsChecker checker) {
        this.checker = checker;
    }

    @GetMapping(value = "/api/v1/admin/tls/{domain}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ReportJson> report(
            @PathVariable String domain, @RequestParam(defaultValue = "false") boolean refresh) {
        TlsReport report;
        try {
            report = checker.check(domain, refresh);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(e.getMessage()); // "not a valid domain name: ..." (docs/tls-check.md)
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(ReportJson.of(report));
    }

    /** The report's JSON shape, exactly as the API promises (nulls included). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ReportJson(
            String domain, String verdict, String checkedAt, List<MxJson> mx, MtaStsJson mtaSts, DaneJson dane) {

        static ReportJson of(TlsReport r) {
            return new ReportJson(
                    r.domain(),
                    r.verdict().code(),
                    r.checkedAt().toString(),
                    r.mx().stream().map(MxJson::of).toList(),
                    new MtaStsJson(r.mtaSts().mode(), r.mtaSts().mxMatches()),
                    new DaneJson(r.dane().tlsa(), r.dane().dnssecValidated()));
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MxJson(
            String host,
            int preference,
            boolean starttls,
            String tlsVersion,
            String cipher,
            Boolean certificateValid,
            Boolean nameMatches,
            String error) {

        static MxJson of(TlsReport.MxHost h) {
            return new MxJson(
                    h.host(),
                    h.preference(),
                    h.starttls(),
                    h.tlsVersion(),
                    h.cipher(),
                    h.certificateValid(),
                    h.nameMatches(),
                    h.error());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MtaStsJson(String mode, Boolean mxMatches) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DaneJson(boolean tlsa, boolean dnssecValidated) {}
}
