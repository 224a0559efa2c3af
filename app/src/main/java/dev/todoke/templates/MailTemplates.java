package dev.todoke.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.TemplateSpec;
import org.thymeleaf.cache.AlwaysValidCacheEntryValidity;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ITemplateResolver;
import org.thymeleaf.templateresolver.TemplateResolution;
import org.thymeleaf.templateresource.StringTemplateResource;

/**
 * The words of the mail Todoke writes, as Thymeleaf templates: the built-in files under {@code
 * templates/mail/} unless an administrator saved an edited version in the database (docs/admin-console.md).
 * Every render also gets {@code organisation} (the organisation's name, empty when none is set) and {@code
 * logoUrl} (the absolute URL of the uploaded logo, or null).
 *
 * <p>Edits reach every replica without a restart: the edited templates and the branding are read from the
 * database at most {@code todoke.templates.refresh-interval} (2 s) apart. The templates are rendered by an
 * engine of their own that knows no Spring beans, and edited ones only after {@link TemplateCheck} let
 * them through (docs/adr/0095). Text templates ({@code .txt}) use Thymeleaf's TEXT mode, the others HTML
 * mode. Thread-safe.
 */
public final class MailTemplates {

    /** A file as the templates show it: its name and its size for people. */
    public record FileView(String name, String size) {}

    /** A recipient as the receipt shows it: the address and its TLS verdict in words. */
    public record RecipientView(String address, String tls) {}

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");

    /** Every template, in the order the console lists them. */
    static final List<String> NAMES = List.of(
            "notice.txt",
            "notice.html",
            "receipt-subject.txt",
            "receipt.txt",
            "receipt.html",
            "passcode-subject.txt",
            "passcode.txt",
            "passcode.html",
            "download-subject.txt",
            "download.txt",
            "download.html");

    /** The current edits and branding, as one replica last read them. */
    record Snapshot(Map<String, String> edited, String organisation, String logoSha256) {
        static final Snapshot NONE = new Snapshot(Map.of(), "", null);
    }

    private final Supplier<Snapshot> source;
    private final String publicUrl;
    private final long refreshNanos;
    private final Map<String, String> builtIn;
    private final SpringTemplateEngine engine;
    private volatile Snapshot snapshot;
    private volatile long loadedAt;

    MailTemplates(Supplier<Snapshot> source, String publicUrl, Duration refresh) {
        this.source = source;
        this.publicUrl = publicUrl;
        this.refreshNanos = refresh.toNanos();
        this.builtIn = loadBuiltIn();
        this.engine = new SpringTemplateEngine();
        engine.setTemplateResolver(new BodyResolver());
    }

    /** The built-in templates only, no organisation and no logo: for tests of the features that write mail. */
    public static MailTemplates builtIn() {
        return new MailTemplates(() -> Snapshot.NONE, "http://127.0.0.1:8080", Duration.ofDays(365));
    }

    /**
     * Renders a template with the current wording.
     *
     * @param name one of the template names ({@code notice.txt}, {@code passcode-subject.txt}, ...)
     * @param model the template's variables (see docs/admin-console.md)
     * @throws IllegalArgumentException for an unknown name
     */
    public String render(String name, Map<String, ?> model) {
        Snapshot current = current();
        String body = current.edited().get(name);
        return process(name, body == null ? builtInBody(name) : body, model, current);
    }

    /** A subject line from a {@code *-subject.txt} template: one line, no line breaks, trimmed. */
    public String subject(String name, Map<String, ?> model) {
        return LINE_BREAKS.matcher(render(name, model)).replaceAll(" ").strip();
    }

    /** The built-in text of a template. */
    String builtInBody(String name) {
        String body = builtIn.get(name);
        if (body == null) {
            body = FIXED.computeIfAbsent(name, MailTemplates::loadFixed);
        }
        return body;
    }

    /** Renders the given text as the template {@code name} would be rendered, with the current branding. */
    String process(String name, String body, Map<String, ?> model, Snapshot branding) {
        Map<String, Object> variables = new HashMap<>(model);
        variables.putIfAbsent("organisation", branding.organisation());
        variables.putIfAbsent("logoUrl", logoUrl(branding));
        TemplateSpec spec = new TemplateSpec(name, null, mode(name), Map.of("body", body));
        return engine.process(spec, new Context(Locale.ROOT, variables));
    }

    /** The snapshot, read again from the database when older than the refresh interval. */
    Snapshot current() {
        Snapshot cached = snapshot;
        long now = System.nanoTime();
        if (cached == null || now - loadedAt >= refreshNanos) {
            cached = source.get();
            snapshot = cached;
            loadedAt = now;
        }
        return cached;
    }

    /** Forgets the snapshot: the next render reads the database (after an edit on this replica). */
    void refresh() {
        snapshot = null;
    }

    private String logoUrl(Snapshot branding) {
        return branding.logoSha256() == null
                ? null
                : publicUrl + "/brand/logo?v=" + branding.logoSha256().substring(0, 12);
    }

    static TemplateMode mode(String name) {
        return name.endsWith(".html") ? TemplateMode.HTML : TemplateMode.TEXT;
    }

    /**
     * Built-in templates that are not (yet) editable: hold, approval and admin-change mail. Rendered from
     * their files with the same engine and branding; loaded once.
     */
    private static final Map<String, String> FIXED = new ConcurrentHashMap<>();

    private static String loadFixed(String name) {
        if (!name.matches("[a-z0-9-]+\\.(txt|html)")) {
            throw new IllegalArgumentException("unknown mail template: " + name);
        }
        try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream("templates/mail/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("unknown mail template: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> loadBuiltIn() {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream("templates/mail/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("built-in mail template missing: " + name);
                }
                bodies.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(bodies);
    }

    /**
     * Resolves a template to the text passed in its resolution attributes. The parsed template is cached by
     * the engine (its bounded LRU cache, 200 entries) under a key that holds the name, the mode and the
     * text itself, so an edited text is a new entry and is never confused with the one it replaces; the
     * gateway renders the same few texts for every mail and no longer parses them each time.
     */
    private static final class BodyResolver implements ITemplateResolver {

        @Override
        public String getName() {
            return "mail-body";
        }

        @Override
        public Integer getOrder() {
            return 0;
        }

        @Override
        public TemplateResolution resolveTemplate(
                IEngineConfiguration configuration,
                String ownerTemplate,
                String template,
                Map<String, Object> attributes) {
            if (attributes == null || !(attributes.get("body") instanceof String body)) {
                return null; // no inclusion of other templates
            }
            return new TemplateResolution(
                    new StringTemplateResource(body), mode(template), AlwaysValidCacheEntryValidity.INSTANCE);
        }
    }
}
