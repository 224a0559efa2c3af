package dev.todoke.audit;

import dev.todoke.common.DomainException;
import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log's admin API (docs/api.md): {@code GET /api/v1/admin/audit} (filtered pages, newest first),
 * {@code GET /api/v1/admin/audit.csv} (the same filters, streamed in chain order) and {@code GET
 * /api/v1/admin/audit/verify}. Authentication is done in front of it (the admin guard of {@code
 * /api/v1/admin/**}); errors are answered by {@code dev.todoke.web.WebErrorAdvice}. An export is itself
 * audited ({@code audit-exported}).
 */
@RestController
class AuditController {

    private final AuditQuery query;
    private final AuditLog audit;

    AuditController(AuditQuery query, AuditLog audit) {
        this.query = query;
        this.audit = audit;
    }

    @GetMapping(value = "/api/v1/admin/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PageJson> list(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String transfer,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw DomainException.invalid("invalid value for parameter page (0 or more)");
        }
        if (size < 1 || size > AuditQuery.MAX_SIZE) {
            throw DomainException.invalid("invalid value for parameter size (1 to " + AuditQuery.MAX_SIZE + ")");
        }
        AuditQuery.Page result = query.search(filter(from, to, actor, action, transfer, before), page, size);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new PageJson(
                        result.items().stream().map(AuditController::json).toList(), result.total()));
    }

    @GetMapping("/api/v1/admin/audit.csv")
    void csv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String transfer,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        AuditQuery.Filter filter = filter(from, to, actor, action, transfer, null);
        audit.record(
                admin(request),
                "audit-exported",
                filter.transfer(),
                null,
                null,
                ClientIp.of(request),
                "filter from=" + from + " to=" + to + " actor=" + actor + " action=" + action);
        response.setStatus(200);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit.csv\"");
        response.setHeader("Cache-Control", "no-store");
        Writer writer =
                new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 65536);
        AuditCsv csv = new AuditCsv(writer);
        csv.header();
        try {
            query.each(filter, csv::row);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the client went away
        }
        writer.flush();
    }

    @GetMapping(value = "/api/v1/admin/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> verify() {
        AuditQuery.Verification verification = query.verify();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", verification.ok());
        if (!verification.ok()) {
            body.put("firstBrokenId", verification.firstBrokenId());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    /** One row in JSON; nulls included. */
    record EventJson(
            long id,
            String at,
            String actor,
            String action,
            String transfer,
            String linkId,
            String address,
            String clientIp,
            String detail,
            String chain) {}

    record PageJson(List<EventJson> items, long total) {}

    private static EventJson json(AuditQuery.Event e) {
        return new EventJson(
                e.id(),
                AuditChain.at(e.at()),
                e.actor(),
                e.action(),
                e.transfer() == null ? null : e.transfer().toString(),
                e.linkId() == null ? null : e.linkId().toString(),
                e.address(),
                e.clientIp(),
                e.detail(),
                e.chain());
    }

    private static AuditQuery.Filter filter(
            String from, String to, String actor, String action, String transfer, Long before) {
        return new AuditQuery.Filter(
                instant("from", from),
                instant("to", to),
                blankToNull(actor),
                blankToNull(action),
                uuid(transfer),
                before);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(
                    "invalid value for parameter " + name + " (an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z)");
        }
    }

    private static UUID uuid(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("invalid value for parameter transfer (a transfer id)");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The signed-in administrator as an actor: the request's principal, else the user name of the HTTP Basic
     * credentials the admin guard has already checked, else {@code admin:(unknown)}.
     */
    private static String admin(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            return AuditLog.admin(principal.getName());
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return AuditLog.admin(decoded.substring(0, colon));
                }
            } catch (IllegalArgumentException e) {
                // not base64: fall through
            }
        }
        return AuditLog.admin("(unknown)");
    }
}
