package dev.todoke.console;

import dev.todoke.admin.AdminTransfers;
import dev.todoke.common.DomainException;
import dev.todoke.web.ClientIp;
import dev.todoke.web.WebErrors;
import dev.todoke.web.WebProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The console's transfer pages over {@link AdminTransfers}: {@code GET /admin/transfers} (search by
 * sender, recipient, subject, creation day and state, 50 a page) and {@code GET /admin/transfers/{id}}
 * (recipients with their state, TLS verdict and downloads, files; revoke one recipient or all, change
 * the expiry). Days and times are read and shown in {@code todoke.web.zone}. Forms post with the CSRF
 * field and answer 303 to the transfer's page; a refused expiry shows the page again with the reason (400).
 */
@Controller
class TransfersPageController {

    static final int PAGE_SIZE = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

    private final AdminTransfers transfers;
    private final ZoneId zone;

    TransfersPageController(AdminTransfers transfers, WebProperties web) {
        this.transfers = transfers;
        this.zone = web.zone();
    }

    @GetMapping("/admin/transfers")
    ModelAndView search(
            @RequestParam(required = false) String sender,
            @RequestParam(required = false) String recipient,
            @RequestParam(required = false) String subject,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String state,
            @RequestParam(defaultValue = "0") int page) {
        ModelAndView view = new ModelAndView("admin/transfers");
        view.addObject("path", "/admin/transfers");
        view.addObject("sender", sender);
        view.addObject("recipient", recipient);
        view.addObject("subject", subject);
        view.addObject("from", from);
        view.addObject("to", to);
        view.addObject("state", state);
        view.addObject("page", Math.max(0, page));
        view.addObject("times", times());
        try {
            AdminTransfers.Page result = transfers.search(new AdminTransfers.Criteria(
                    sender,
                    recipient,
                    subject,
                    dayStart(from, 0),
                    dayStart(to, 1),
                    state,
                    Math.max(0, page),
                    PAGE_SIZE));
            view.addObject("result", result);
            view.addObject("hasNext", (long) (Math.max(0, page) + 1) * PAGE_SIZE < result.total());
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.INVALID) {
                throw e;
            }
            view.setStatus(HttpStatus.BAD_REQUEST);
            view.addObject("result", new AdminTransfers.Page(java.util.List.of(), 0));
            view.addObject("hasNext", false);
            view.addObject("error", e.code());
        }
        return view;
    }

    @GetMapping("/admin/transfers/{id}")
    ModelAndView show(@PathVariable String id, @RequestParam(required = false) String saved) {
        ModelAndView view = page(transfers.detail(id));
        view.addObject("saved", saved != null);
        return view;
    }

    @PostMapping("/admin/transfers/{id}/revoke")
    ModelAndView revoke(
            @PathVariable String id,
            @RequestParam(required = false) String recipient,
            Principal principal,
            HttpServletRequest request) {
        transfers.revoke(
                id, recipient == null || recipient.isBlank() ? null : recipient, name(principal), ClientIp.of(request));
        return seeOther("/admin/transfers/" + id + "?saved");
    }

    @PostMapping("/admin/transfers/{id}/expiry")
    ModelAndView expiry(
            @PathVariable String id,
            @RequestParam(required = false) String expiresAt,
            Principal principal,
            HttpServletRequest request) {
        try {
            transfers.changeExpiry(id, local(expiresAt), name(principal), ClientIp.of(request));
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.INVALID) {
                throw e;
            }
            ModelAndView view = page(transfers.detail(id));
            view.setStatus(WebErrors.status(e.kind()));
            view.addObject("error", e.code());
            return view;
        }
        return seeOther("/admin/transfers/" + id + "?saved");
    }

    private ModelAndView page(AdminTransfers.Detail detail) {
        ModelAndView view = new ModelAndView("admin/transfer");
        view.addObject("path", "/admin/transfers/" + detail.id());
        view.addObject("t", detail);
        view.addObject("zone", zone.getId());
        view.addObject("times", times());
        view.addObject(
                "fileNames",
                detail.files().stream()
                        .collect(Collectors.toMap(
                                AdminTransfers.FileInfo::id, AdminTransfers.FileInfo::name, (a, b) -> a)));
        view.addObject(
                "expiresInput", INPUT.format(Instant.parse(detail.expiresAt()).atZone(zone)));
        view.addObject(
                "maximumInput",
                INPUT.format(Instant.parse(detail.maximumExpiry()).atZone(zone)));
        return view;
    }

    /** ISO instants (as the service speaks) to local times for people. */
    private Function<String, String> times() {
        return iso -> iso == null
                ? ""
                : TIME.format(Instant.parse(iso).truncatedTo(ChronoUnit.MINUTES).atZone(zone));
    }

    /** A day from the form ({@code yyyy-MM-dd}) as the instant its start (plus {@code days}) in the zone. */
    private String dayStart(String day, int days) {
        if (day == null || day.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(day.strip())
                    .plusDays(days)
                    .atStartOfDay(zone)
                    .toInstant()
                    .toString();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("invalid-date");
        }
    }

    private Instant local(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid("bad-request");
        }
        try {
            return LocalDateTime.parse(text.strip()).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("bad-request");
        }
    }

    static String name(Principal principal) {
        return principal == null ? "admin" : principal.getName();
    }

    static ModelAndView seeOther(String path) {
        RedirectView redirect = new RedirectView(path, true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return new ModelAndView(redirect);
    }
}
