package dev.todoke.download;

import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import dev.todoke.security.FormCsrf;
import dev.todoke.web.ClientIp;
import dev.todoke.web.WebErrors;
import dev.todoke.web.WebProperties;
import dev.todoke.zk.ZeroKnowledgeKeys;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The recipient's pages, server-rendered and usable without JavaScript (except the files page of a
 * zero-knowledge link, which decrypts in the browser: docs/zero-knowledge.md). {@code GET /d/{token}} only
 * shows (link scanners fetch it); the code is mailed on {@code POST /d/{token}/code} and checked on
 * {@code POST /d/{token}/verify}, both with a CSRF field. Downloads: {@link RecipientApiController}.
 */
@Controller
class RecipientPageController {

    /** The zero-knowledge pages' policy: the application's own script and fetches, nothing else. */
    static final String ZERO_KNOWLEDGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self';"
            + " style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final RecipientAccess access;
    private final RecipientLinks links;
    private final WebProperties web;
    private final ZeroKnowledgeKeys zeroKnowledge;

    RecipientPageController(
            RecipientAccess access, RecipientLinks links, WebProperties web, ZeroKnowledgeKeys zeroKnowledge) {
        this.access = access;
        this.links = links;
        this.web = web;
        this.zeroKnowledge = zeroKnowledge;
    }

    @GetMapping("/d/{token}")
    ModelAndView show(
            @PathVariable String token,
            @RequestParam(name = "sent", required = false) String sent,
            HttpServletRequest request,
            HttpServletResponse response) {
        RecipientLink link = access.view(token, ClientIp.of(request));
        if (access.hasSession(link, request)) {
            String view = zeroKnowledge.isZeroKnowledge(link.messageId()) ? "download/files-zk" : "download/files";
            ModelAndView files = page(view, link, token, request, response);
            files.addObject("files", links.files(link.messageId()));
            return files;
        }
        ModelAndView landing = page("download/landing", link, token, request, response);
        landing.addObject("sent", sent != null);
        return landing;
    }

    @PostMapping("/d/{token}/code")
    ModelAndView sendCode(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) {
        RecipientLink link = access.open(token);
        try {
            access.sendCode(link, ClientIp.of(request));
        } catch (DomainException e) {
            return failed(e, link, token, request, response);
        }
        return seeOther("/d/" + token + "?sent=1");
    }

    @PostMapping("/d/{token}/verify")
    ModelAndView verify(
            @PathVariable String token,
            @RequestParam(name = "code", required = false) String code,
            HttpServletRequest request,
            HttpServletResponse response) {
        RecipientLink link = access.open(token);
        ResponseCookie cookie;
        try {
            cookie = access.verify(link, code, ClientIp.of(request), Times.secure(request));
        } catch (DomainException e) {
            ModelAndView again = failed(e, link, token, request, response);
            again.addObject("sent", true);
            return again;
        }
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
        return seeOther("/d/" + token);
    }

    private ModelAndView failed(
            DomainException error,
            RecipientLink link,
            String token,
            HttpServletRequest request,
            HttpServletResponse response) {
        if (error.kind() == Kind.NOT_FOUND || error.kind() == Kind.GONE) {
            throw error;
        }
        ModelAndView landing = page("download/landing", link, token, request, response);
        landing.setStatus(WebErrors.status(error.kind()));
        landing.addObject("sent", false);
        landing.addObject("error", error.code());
        landing.addObject("attemptsLeft", error.details().get("attemptsLeft"));
        return landing;
    }

    private ModelAndView page(
            String view, RecipientLink link, String token, HttpServletRequest request, HttpServletResponse response) {
        ModelAndView page = new ModelAndView(view);
        page.addObject("token", token);
        page.addObject("sender", link.sender());
        page.addObject("recipient", Addresses.mask(link.recipient()));
        page.addObject("expiresAt", format(link.expiresAt()));
        page.addObject("zone", web.zone().getId());
        page.addObject("fileCount", link.fileCount());
        page.addObject("csrf", FormCsrf.token(request));
        page.addObject("path", "/d/" + token);
        boolean zk = zeroKnowledge.isZeroKnowledge(link.messageId());
        page.addObject("zeroKnowledge", zk);
        if (zk) {
            // The page decrypts with the application's own script, and nothing else may run.
            response.setHeader("Content-Security-Policy", ZERO_KNOWLEDGE_CSP);
        }
        return page;
    }

    private static ModelAndView seeOther(String path) {
        RedirectView redirect = new RedirectView(path, true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return new ModelAndView(redirect);
    }

    private String format(Instant instant) {
        return TIME.format(instant.atZone(web.zone()));
    }
}
