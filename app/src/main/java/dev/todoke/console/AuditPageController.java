package dev.todoke.console;

import dev.todoke.audit.AuditQuery;
import dev.todoke.web.WebProperties;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's audit log page, {@code GET /admin/audit}: filters by time (local times in {@code
 * todoke.web.zone}), actor, action and transfer; newest first, 50 a page, paged by id ({@code before}: the
 * last id of the page before), so that paging stays quick over millions of rows; a link to the CSV export
 * with the same filters ({@code /api/v1/admin/audit.csv}), and the chain's verification on demand
 * ({@code ?verify}).
 */
@Controller
class AuditPageController {

    static final int PAGE_SIZE = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final AuditQuery audit;
    private final ZoneId zone;

    AuditPageController(AuditQuery audit, WebProperties web) {
        this.audit = audit;
        this.zone = web.zone();
    }

    @GetMapping("/admin/audit")
    ModelAndView page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String transfer,
            @RequestParam(required = false) Long before,
            @RequestParam(required = false) String verify) {
        ModelAndView view = new ModelAndView("admin/audit");
        view.addObject("path", "/admin/audit");
        view.addObject("from", from);
        view.addObject("to", to);
        view.addObject("actor", actor);
        view.addObject("action", action);
        view.addObject("transfer", transfer);
        view.addObject("zone", zone.getId());
        view.addObject("times", (java.util.function.Function<Instant, String>) at -> TIME.format(at.atZone(zone)));
        if (verify != null) {
            view.addObject("verification", audit.verify());
        }
        Instant fromInstant;
        Instant toInstant;
        UUID transferId;
        try {
            fromInstant = local(from);
            toInstant = local(to);
            transferId = transfer == null || transfer.isBlank() ? null : UUID.fromString(transfer.strip());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            view.setStatus(HttpStatus.BAD_REQUEST);
            view.addObject("error", "invalid-filter");
            view.addObject("result", new AuditQuery.Page(java.util.List.of(), 0));
            return view;
        }
        AuditQuery.Page result = audit.search(
                new AuditQuery.Filter(fromInstant, toInstant, blank(actor), blank(action), transferId, before),
                0,
                PAGE_SIZE);
        view.addObject("result", result);
        Map<String, String> filters = new LinkedHashMap<>();
        put(filters, "from", fromInstant == null ? null : fromInstant.toString());
        put(filters, "to", toInstant == null ? null : toInstant.toString());
        put(filters, "actor", blank(actor));
        put(filters, "action", blank(action));
        put(filters, "transfer", transferId == null ? null : transferId.toString());
        view.addObject("csv", link("/api/v1/admin/audit.csv", filters));
        Map<String, String> pageFilters = new LinkedHashMap<>();
        put(pageFilters, "from", from);
        put(pageFilters, "to", to);
        put(pageFilters, "actor", blank(actor));
        put(pageFilters, "action", blank(action));
        put(pageFilters, "transfer", transferId == null ? null : transferId.toString());
        if (result.items().size() == PAGE_SIZE) {
            Map<String, String> next = new LinkedHashMap<>(pageFilters);
            next.put("before", Long.toString(result.items().getLast().id()));
            view.addObject("older", link("/admin/audit", next));
        }
        if (before != null) {
            view.addObject("newest", link("/admin/audit", pageFilters));
        }
        return view;
    }

    private Instant local(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return LocalDateTime.parse(text.strip()).atZone(zone).toInstant();
    }

    private static String blank(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String link(String path, Map<String, String> params) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
        params.forEach(builder::queryParam);
        return builder.encode().build().toUriString();
    }
}
