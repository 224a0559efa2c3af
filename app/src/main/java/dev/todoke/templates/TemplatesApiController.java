package dev.todoke.templates;

import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The mail templates and the branding as JSON under {@code /api/v1/admin/} (docs/api.md): list, read,
 * replace, preview and reset templates; read and set the organisation's name and logo. Authentication is
 * the admin API's (docs/admin-console.md); errors are answered by {@code dev.todoke.web.WebErrorAdvice}.
 */
@RestController
class TemplatesApiController {

    private static final String BASE = "/api/v1/admin/templates";

    private final TemplateAdmin admin;

    TemplatesApiController(TemplateAdmin admin) {
        this.admin = admin;
    }

    /** One template in the list (without its text). */
    record Item(String name, String mode, boolean edited, java.time.Instant updatedAt, String updatedBy) {}

    /** A template's new text, or a draft to preview (null: the current text). */
    record Body(String body) {}

    /** A rendered preview. */
    record Preview(String name, String mode, String rendered) {}

    /** The organisation's name. */
    record Organisation(String organisation) {}

    @GetMapping(value = BASE, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<Item>> list() {
        return Map.of(
                "items",
                admin.list().stream()
                        .map(v -> new Item(v.name(), v.mode(), v.edited(), v.updatedAt(), v.updatedBy()))
                        .toList());
    }

    @GetMapping(value = BASE + "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.View get(@PathVariable String name) {
        return admin.get(name);
    }

    @PutMapping(value = BASE + "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.View put(
            @PathVariable String name, @RequestBody Body body, Principal principal, HttpServletRequest request) {
        return admin.save(name, body.body(), actor(principal), ClientIp.of(request));
    }

    @DeleteMapping(value = BASE + "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.View reset(@PathVariable String name, Principal principal, HttpServletRequest request) {
        return admin.reset(name, actor(principal), ClientIp.of(request));
    }

    @PostMapping(value = BASE + "/{name}/preview", produces = MediaType.APPLICATION_JSON_VALUE)
    Preview preview(@PathVariable String name, @RequestBody(required = false) Body body) {
        TemplateAdmin.View view = admin.get(name);
        return new Preview(name, view.mode(), admin.preview(name, body == null ? null : body.body()));
    }

    @GetMapping(value = "/api/v1/admin/branding", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.BrandingView branding() {
        return admin.branding();
    }

    @PutMapping(value = "/api/v1/admin/branding", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.BrandingView organisation(
            @RequestBody Organisation body, Principal principal, HttpServletRequest request) {
        return admin.saveOrganisation(body.organisation(), actor(principal), ClientIp.of(request));
    }

    @PutMapping(value = "/api/v1/admin/branding/logo", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.BrandingView logo(@RequestBody byte[] bytes, Principal principal, HttpServletRequest request) {
        return admin.saveLogo(bytes, actor(principal), ClientIp.of(request));
    }

    @DeleteMapping(value = "/api/v1/admin/branding/logo", produces = MediaType.APPLICATION_JSON_VALUE)
    TemplateAdmin.BrandingView deleteLogo(Principal principal, HttpServletRequest request) {
        return admin.deleteLogo(actor(principal), ClientIp.of(request));
    }

    static String actor(Principal principal) {
        return principal == null ? "admin" : principal.getName();
    }
}
