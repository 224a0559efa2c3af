package dev.todoke.templates;

import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.thymeleaf.exceptions.TemplateProcessingException;

/**
 * What an administrator does with the mail templates and the branding: list, read, check, preview, save,
 * reset; set the organisation's name and logo. Saving checks first ({@link TemplateCheck}, then a render
 * of every sample of {@link TemplateSamples}); a template that fails either is refused with {@code
 * invalid-template} and the problem in {@code detail}. Changes are audited. Thread-safe.
 */
@Service
class TemplateAdmin {

    static final int MAX_BODY = 65_536;
    static final int MAX_ORGANISATION = 200;

    /** A template as the console and the API show it. */
    record View(
            String name,
            String mode,
            boolean edited,
            String body,
            String builtIn,
            Instant updatedAt,
            String updatedBy) {}

    /** The branding as the console and the API show it. */
    record BrandingView(String organisation, String logoUrl, String logoType, Instant updatedAt, String updatedBy) {}

    private final TemplateStore store;
    private final MailTemplates templates;
    private final AuditLog audit;
    private final Clock clock;
    private final TemplatesProperties properties;
    private final TemplateCheck check = new TemplateCheck();

    TemplateAdmin(
            TemplateStore store, MailTemplates templates, AuditLog audit, Clock clock, TemplatesProperties properties) {
        this.store = store;
        this.templates = templates;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    List<View> list() {
        Map<String, TemplateStore.Edited> edited =
                store.edited().stream().collect(java.util.stream.Collectors.toMap(TemplateStore.Edited::name, e -> e));
        return MailTemplates.NAMES.stream().map(n -> view(n, edited.get(n))).toList();
    }

    View get(String name) {
        known(name);
        return view(name, store.find(name).orElse(null));
    }

    /** Checks and saves an edited template; refused with {@code invalid-template} when it does not pass. */
    View save(String name, String body, String actor, String clientIp) {
        known(name);
        validate(name, body);
        String before = store.find(name).map(TemplateStore.Edited::body).orElse(null);
        store.save(name, body, actor, clock.instant());
        templates.refresh();
        audit.recordChange(AuditLog.admin(actor), "template-changed", name, clientIp, before, body);
        return get(name);
    }

    /** Back to the built-in text. */
    View reset(String name, String actor, String clientIp) {
        known(name);
        String before = store.find(name).map(TemplateStore.Edited::body).orElse(null);
        if (store.delete(name)) {
            templates.refresh();
            audit.recordChange(AuditLog.admin(actor), "template-reset", name, clientIp, before, null);
        }
        return get(name);
    }

    /** Renders a draft (or, with a null body, the current text) with the full sample; checks the draft first. */
    String preview(String name, String body) {
        known(name);
        String text = body;
        if (text == null) {
            text = store.find(name).map(TemplateStore.Edited::body).orElseGet(() -> templates.builtInBody(name));
        } else {
            validate(name, text);
        }
        return render(name, text, TemplateSamples.of(name).get(0));
    }

    BrandingView branding() {
        TemplateStore.Branding b = store.branding();
        String logoUrl = b.logoSha256() == null
                ? null
                : "/brand/logo?v=" + b.logoSha256().substring(0, 12);
        return new BrandingView(b.organisation(), logoUrl, b.logoType(), b.updatedAt(), b.updatedBy());
    }

    BrandingView saveOrganisation(String organisation, String actor, String clientIp) {
        String name = organisation == null ? "" : organisation.strip();
        if (name.length() > MAX_ORGANISATION || name.chars().anyMatch(Character::isISOControl)) {
            throw new DomainException(
                    DomainException.Kind.INVALID,
                    "invalid-organisation",
                    Map.of("detail", "at most " + MAX_ORGANISATION + " characters on one line"));
        }
        String before = store.branding().organisation();
        store.saveOrganisation(name, actor, clock.instant());
        templates.refresh();
        audit.recordChange(AuditLog.admin(actor), "branding-changed", "organisation", clientIp, before, name);
        return branding();
    }

    /** Stores a logo: PNG, JPEG or GIF (told by its bytes), at most {@code todoke.templates.max-logo-bytes}. */
    BrandingView saveLogo(byte[] bytes, String actor, String clientIp) {
        if (bytes.length == 0 || bytes.length > properties.maxLogoBytes()) {
            throw new DomainException(
                    DomainException.Kind.INVALID,
                    "invalid-logo",
                    Map.of("detail", "a logo has 1 to " + properties.maxLogoBytes() + " bytes"));
        }
        String type = imageType(bytes)
                .orElseThrow(() -> new DomainException(
                        DomainException.Kind.INVALID, "invalid-logo", Map.of("detail", "PNG, JPEG or GIF only")));
        String before = store.branding().logoSha256();
        String sha256 = sha256(bytes);
        store.saveLogo(bytes, type, sha256, actor, clock.instant());
        templates.refresh();
        audit.recordChange(AuditLog.admin(actor), "branding-changed", "logo", clientIp, before, sha256);
        return branding();
    }

    BrandingView deleteLogo(String actor, String clientIp) {
        String before = store.branding().logoSha256();
        store.deleteLogo(actor, clock.instant());
        templates.refresh();
        audit.recordChange(AuditLog.admin(actor), "branding-changed", "logo", clientIp, before, null);
        return branding();
    }

    Optional<TemplateStore.Logo> logo() {
        return store.logo();
    }

    private void validate(String name, String body) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            throw invalid("a template has 1 to " + MAX_BODY + " characters");
        }
        Optional<String> problem =
                check.problem(body, MailTemplates.mode(name).isMarkup(), TemplateSamples.variables(name));
        if (problem.isPresent()) {
            throw invalid(problem.get());
        }
        for (Map<String, Object> sample : TemplateSamples.of(name)) {
            render(name, body, sample);
        }
    }

    private String render(String name, String body, Map<String, Object> sample) {
        try {
            return templates.process(name, body, sample, templates.current());
        } catch (TemplateProcessingException e) {
            throw invalid(firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw invalid("cannot render: " + e.getClass().getSimpleName());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot render";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    private static DomainException invalid(String detail) {
        return new DomainException(DomainException.Kind.INVALID, "invalid-template", Map.of("detail", detail));
    }

    private static void known(String name) {
        if (!MailTemplates.NAMES.contains(name)) {
            throw DomainException.notFound();
        }
    }

    private View view(String name, TemplateStore.Edited edited) {
        String builtIn = templates.builtInBody(name);
        return new View(
                name,
                MailTemplates.mode(name).isMarkup() ? "html" : "text",
                edited != null,
                edited == null ? builtIn : edited.body(),
                builtIn,
                edited == null ? null : edited.updatedAt(),
                edited == null ? null : edited.updatedBy());
    }

    static Optional<String> imageType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Optional.of("image/png");
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Optional.of("image/jpeg");
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return Optional.of("image/gif");
        }
        return Optional.empty();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
