package dev.todoke.sender;

import dev.todoke.common.DomainException;
import dev.todoke.security.FormCsrf;
import dev.todoke.transfer.Transfers;
import dev.todoke.web.ClientIp;
import dev.todoke.web.WebErrors;
import dev.todoke.web.WebProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The sender's page {@code /s/{token}}: recipients, files, downloads, link states; forms (with a CSRF
 * field) to revoke all or one recipient and to change the expiry. Times are shown, and the expiry form
 * read, in {@code todoke.web.zone}.
 */
@Controller
class SenderPageController {

    private final SenderDesk desk;
    private final WebProperties web;
    private final ObjectProvider<TlsSummaries> tls;

    SenderPageController(SenderDesk desk, WebProperties web, ObjectProvider<TlsSummaries> tls) {
        this.desk = desk;
        this.web = web;
        this.tls = tls;
    }

    @GetMapping("/s/{token}")
    ModelAndView show(
            @PathVariable String token,
            @RequestParam(name = "saved", required = false) String saved,
            HttpServletRequest request,
            HttpServletResponse response) {
        Transfers.Message message = desk.message(token);
        desk.view(token, ClientIp.of(request));
        ModelAndView page = page(message, token, request, response);
        page.addObject("saved", saved != null);
        return page;
    }

    @PostMapping("/s/{token}/revoke")
    ModelAndView revoke(
            @PathVariable String token,
            @RequestParam(name = "recipient", required = false) String recipient,
            HttpServletRequest request) {
        Transfers.Message message = desk.message(token);
        desk.revoke(message, recipient, ClientIp.of(request));
        return TransferPage.seeOther("/s/" + token + "?saved=1");
    }

    @PostMapping("/s/{token}/cancel")
    ModelAndView cancel(@PathVariable String token, HttpServletRequest request) {
        desk.cancel(desk.message(token), ClientIp.of(request));
        return TransferPage.seeOther("/s/" + token + "?saved=1");
    }

    @PostMapping("/s/{token}/release")
    ModelAndView release(@PathVariable String token, HttpServletRequest request) {
        desk.releaseNow(desk.message(token), ClientIp.of(request));
        return TransferPage.seeOther("/s/" + token + "?saved=1");
    }

    @PostMapping("/s/{token}/expiry")
    ModelAndView expiry(
            @PathVariable String token,
            @RequestParam(name = "expiresAt", required = false) String expiresAt,
            HttpServletRequest request,
            HttpServletResponse response) {
        Transfers.Message message = desk.message(token);
        try {
            desk.changeExpiry(message, parseLocal(expiresAt), ClientIp.of(request));
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.INVALID) {
                throw e;
            }
            ModelAndView page = page(message, token, request, response);
            page.setStatus(WebErrors.status(e.kind()));
            page.addObject("error", e.code());
            return page;
        }
        return TransferPage.seeOther("/s/" + token + "?saved=1");
    }

    private Instant parseLocal(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid("bad-request");
        }
        try {
            return LocalDateTime.parse(text.strip()).atZone(web.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("bad-request");
        }
    }

    private ModelAndView page(
            Transfers.Message message, String token, HttpServletRequest request, HttpServletResponse response) {
        SenderDesk.Overview overview = desk.overview(message);
        ModelAndView page =
                TransferPage.of("sender/manage", "/s/" + token, message, overview, desk.maximum(message), web.zone());
        page.addObject("csrf", FormCsrf.token(request));
        page.addObject("releaseAt", overview.releaseAt() == null ? null : format(Instant.parse(overview.releaseAt())));
        TlsSummaries summaries = tls.getIfAvailable();
        if (summaries != null) {
            page.addObject(
                    "tls",
                    overview.recipients().stream()
                            .collect(Collectors.toMap(
                                    SenderDesk.RecipientInfo::address,
                                    r -> summaries
                                            .summaryFor(domain(r.address()))
                                            .orElse(""),
                                    (a, b) -> a)));
        }
        return page;
    }

    private static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private String format(Instant instant) {
        return TransferPage.format(instant, web.zone());
    }
}
