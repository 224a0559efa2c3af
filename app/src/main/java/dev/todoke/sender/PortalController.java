package dev.todoke.sender;

import dev.todoke.common.DomainException;
import dev.todoke.security.SignedInUser;
import dev.todoke.transfer.Transfers;
import dev.todoke.web.ClientIp;
import dev.todoke.web.WebErrors;
import dev.todoke.web.WebProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The sender portal ({@code /my}, after an OIDC sign-in with a verified {@code email}): {@code GET /my}
 * lists the signed-in sender's transfers (newest first, 20 a page) with each recipient's state and
 * downloads; {@code GET /my/{id}} is the {@code /s/} page of one of them, and {@code POST
 * /my/{id}/revoke} and {@code /my/{id}/expiry} do what the {@code /s/} page's forms do. Without a verified
 * address the list says so and shows nothing, and every transfer is not found; so is someone else's.
 */
@Controller
class PortalController {

    private final SenderPortal portal;
    private final SenderDesk desk;
    private final WebProperties web;

    PortalController(SenderPortal portal, SenderDesk desk, WebProperties web) {
        this.portal = portal;
        this.desk = desk;
        this.web = web;
    }

    /** A transfer in the list: the message, its times for people and its recipients' state. */
    record Row(String id, String subject, String created, String expires, SenderDesk.Overview overview) {}

    @GetMapping({"/my", "/my/"})
    ModelAndView list(@RequestParam(defaultValue = "0") int page, Authentication user) {
        String email = SignedInUser.verifiedEmail(user).orElse(null);
        SenderPortal.Page found = email == null ? new SenderPortal.Page(List.of(), 0, 0) : portal.mine(email, page);
        List<Row> rows = found.items().stream()
                .map(m -> new Row(
                        m.id().toString(), m.subject(), format(m.createdAt()), format(m.expiresAt()), desk.overview(m)))
                .toList();
        ModelAndView view = new ModelAndView("my/list");
        view.addObject("path", "/my");
        view.addObject("email", email);
        view.addObject("page", found);
        view.addObject("transfers", rows);
        return view;
    }

    @GetMapping("/my/{id}")
    ModelAndView show(@PathVariable String id, @RequestParam(required = false) String saved, Authentication user) {
        ModelAndView view = page(portal.one(email(user), id));
        view.addObject("saved", saved != null);
        return view;
    }

    @PostMapping("/my/{id}/revoke")
    ModelAndView revoke(
            @PathVariable String id,
            @RequestParam(required = false) String recipient,
            Authentication user,
            HttpServletRequest request) {
        Transfers.Message message = portal.one(email(user), id);
        desk.revoke(message, recipient, ClientIp.of(request));
        return TransferPage.seeOther("/my/" + id + "?saved");
    }

    @PostMapping("/my/{id}/expiry")
    ModelAndView expiry(
            @PathVariable String id,
            @RequestParam(required = false) String expiresAt,
            Authentication user,
            HttpServletRequest request) {
        Transfers.Message message = portal.one(email(user), id);
        try {
            desk.changeExpiry(message, local(expiresAt), ClientIp.of(request));
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.INVALID) {
                throw e;
            }
            ModelAndView view = page(message);
            view.setStatus(WebErrors.status(e.kind()));
            view.addObject("error", e.code());
            return view;
        }
        return TransferPage.seeOther("/my/" + id + "?saved");
    }

    private ModelAndView page(Transfers.Message message) {
        return TransferPage.of(
                "my/transfer",
                "/my/" + message.id(),
                message,
                desk.overview(message),
                desk.maximum(message),
                web.zone());
    }

    private static String email(Authentication user) {
        return SignedInUser.verifiedEmail(user).orElseThrow(DomainException::notFound);
    }

    private Instant local(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid("bad-request");
        }
        try {
            return LocalDateTime.parse(text.strip()).atZone(web.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("bad-request");
        }
    }

    private String format(Instant instant) {
        return TransferPage.format(instant, web.zone());
    }
}
