package dev.todoke.console;

import dev.todoke.common.DomainException;
import dev.todoke.policy.PolicyStore;
import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's policy page, {@code GET /admin/policies}: the whole policy set as JSON in a text area,
 * with the ETag of the version shown in a hidden field; {@code POST /admin/policies} replaces the set
 * through {@link PolicyStore#replace} with that ETag as {@code If-Match}, so a save over someone else's
 * newer change is refused (409 with the reason, the draft kept) rather than lost. An invalid set is
 * shown again with the problem (400).
 */
@Controller
class PoliciesPageController {

    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final PolicyStore policies;

    PoliciesPageController(PolicyStore policies) {
        this.policies = policies;
    }

    @GetMapping("/admin/policies")
    ModelAndView page(@RequestParam(required = false) String saved) {
        PolicyStore.Snapshot snapshot = policies.read();
        ModelAndView view = view(snapshot, PRETTY.writeValueAsString(snapshot.document()));
        view.addObject("saved", saved != null);
        return view;
    }

    @PostMapping("/admin/policies")
    ModelAndView save(
            @RequestParam String body,
            @RequestParam(required = false) String etag,
            Principal principal,
            HttpServletRequest request) {
        try {
            policies.replace(etag, body, "admin " + TransfersPageController.name(principal), ClientIp.of(request));
        } catch (DomainException e) {
            ModelAndView view = view(policies.read(), body);
            view.addObject("etag", etag);
            view.setStatus(e.kind() == DomainException.Kind.INVALID ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT);
            view.addObject("error", e.code());
            view.addObject(
                    "detail",
                    e.details().get("path") == null
                            ? null
                            : e.details().get("path") + ": " + e.details().get("message"));
            return view;
        }
        return TransfersPageController.seeOther("/admin/policies?saved");
    }

    private static ModelAndView view(PolicyStore.Snapshot snapshot, String body) {
        ModelAndView view = new ModelAndView("admin/policies");
        view.addObject("path", "/admin/policies");
        view.addObject("version", snapshot.version());
        view.addObject("etag", snapshot.etag());
        view.addObject("body", body);
        return view;
    }
}
