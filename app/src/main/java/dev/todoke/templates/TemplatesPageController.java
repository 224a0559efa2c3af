package dev.todoke.templates;

import dev.todoke.common.DomainException;
import dev.todoke.web.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The console's template pages: {@code GET /admin/templates} (the list, the organisation's name and logo)
 * and {@code GET /admin/templates/{name}} (edit, preview, reset). Forms post back with the CSRF field; a
 * refused template is shown again with the problem (400), nothing saved. Works without JavaScript.
 */
@Controller
class TemplatesPageController {

    private final TemplateAdmin admin;
    private final TemplatesProperties properties;

    TemplatesPageController(TemplateAdmin admin, TemplatesProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    @GetMapping("/admin/templates")
    String list(
            @RequestParam(required = false) String saved, @RequestParam(required = false) String error, Model model) {
        model.addAttribute("templates", admin.list());
        model.addAttribute("branding", admin.branding());
        model.addAttribute("maxLogoBytes", properties.maxLogoBytes());
        model.addAttribute("saved", saved != null);
        model.addAttribute("error", error);
        model.addAttribute("path", "/admin/templates");
        return "admin/templates";
    }

    @GetMapping("/admin/templates/{name}")
    String edit(@PathVariable String name, @RequestParam(required = false) String saved, Model model) {
        TemplateAdmin.View view = admin.get(name);
        fill(model, view, view.body());
        model.addAttribute("saved", saved != null);
        return "admin/template";
    }

    @PostMapping("/admin/templates/{name}")
    String save(
            @PathVariable String name,
            @RequestParam String body,
            @RequestParam(defaultValue = "save") String action,
            Principal principal,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        TemplateAdmin.View view = admin.get(name);
        String text = body.replace("\r\n", "\n");
        try {
            if ("preview".equals(action)) {
                fill(model, view, text);
                model.addAttribute("preview", admin.preview(name, text));
                return "admin/template";
            }
            admin.save(name, text, TemplatesApiController.actor(principal), ClientIp.of(request));
            return "redirect:/admin/templates/" + name + "?saved";
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.INVALID) {
                throw e;
            }
            response.setStatus(400);
            fill(model, view, text);
            model.addAttribute("problem", String.valueOf(e.details().getOrDefault("detail", e.code())));
            return "admin/template";
        }
    }

    @PostMapping("/admin/templates/{name}/reset")
    String reset(@PathVariable String name, Principal principal, HttpServletRequest request) {
        admin.reset(name, TemplatesApiController.actor(principal), ClientIp.of(request));
        return "redirect:/admin/templates/" + name + "?saved";
    }

    @PostMapping("/admin/branding")
    String organisation(@RequestParam String organisation, Principal principal, HttpServletRequest request) {
        try {
            admin.saveOrganisation(organisation, TemplatesApiController.actor(principal), ClientIp.of(request));
        } catch (DomainException e) {
            return "redirect:/admin/templates?error=" + e.code();
        }
        return "redirect:/admin/templates?saved";
    }

    @PostMapping("/admin/branding/logo")
    String logo(@RequestParam("logo") MultipartFile logo, Principal principal, HttpServletRequest request)
            throws IOException {
        if (logo.getSize() > properties.maxLogoBytes()) {
            return "redirect:/admin/templates?error=invalid-logo";
        }
        try {
            admin.saveLogo(logo.getBytes(), TemplatesApiController.actor(principal), ClientIp.of(request));
        } catch (DomainException e) {
            return "redirect:/admin/templates?error=" + e.code();
        }
        return "redirect:/admin/templates?saved";
    }

    @PostMapping("/admin/branding/logo/delete")
    String deleteLogo(Principal principal, HttpServletRequest request) {
        admin.deleteLogo(TemplatesApiController.actor(principal), ClientIp.of(request));
        return "redirect:/admin/templates?saved";
    }

    private static void fill(Model model, TemplateAdmin.View view, String body) {
        model.addAttribute("template", view);
        model.addAttribute("body", body);
        model.addAttribute("variables", new TreeSet<>(TemplateSamples.variables(view.name())));
        model.addAttribute("path", "/admin/templates/" + view.name());
    }
}
