package dev.todoke.approval;

import dev.todoke.security.FormCsrf;
import dev.todoke.web.ClientIp;
import dev.todoke.web.WebProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The approver's page {@code /a/{token}}: the held message's sender, subject, reason, recipients (domain
 * set apart) and files, with forms (CSRF field, as the sender's page) to approve or reject it.
 */
@Controller
class ApprovalPageController {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ApprovalDesk desk;
    private final WebProperties web;

    ApprovalPageController(ApprovalDesk desk, WebProperties web) {
        this.desk = desk;
        this.web = web;
    }

    @GetMapping("/a/{token}")
    ModelAndView show(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) {
        ApprovalDesk.Approval approval = desk.view(token, ClientIp.of(request));
        ModelAndView page = new ModelAndView("approval/approve");
        page.addObject("path", "/a/" + token);
        page.addObject("csrf", FormCsrf.token(request));
        page.addObject("approval", approval);
        page.addObject(
                "decideBy",
                approval.decideBy() == null
                        ? null
                        : TIME.format(Instant.parse(approval.decideBy())
                                .truncatedTo(ChronoUnit.MINUTES)
                                .atZone(web.zone())));
        page.addObject("zone", web.zone().getId());
        return page;
    }

    @PostMapping("/a/{token}/approve")
    ModelAndView approve(@PathVariable String token, HttpServletRequest request) {
        desk.approve(token, ClientIp.of(request));
        return seeOther("/a/" + token);
    }

    @PostMapping("/a/{token}/reject")
    ModelAndView reject(@PathVariable String token, HttpServletRequest request) {
        desk.reject(token, ClientIp.of(request));
        return seeOther("/a/" + token);
    }

    private static ModelAndView seeOther(String path) {
        RedirectView redirect = new RedirectView(path, true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return new ModelAndView(redirect);
    }
}
