package dev.todoke.startup;

import dev.todoke.relay.RelayProperties;
import dev.todoke.store.StorageProperties;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * What production mode refuses, as one line per problem, each naming its setting: a public URL that is
 * not https, no next hop (the dev outbox), secrets or keys that would be generated (web secret, seal key,
 * audit key, key-encryption keys), no internal domains, the embedded H2 database, relay credentials over TLS
 * that is not both required and verified, a local admin password stored as {@code {noop}} or shorter than
 * 12 characters, and an OIDC issuer that is not https. Reads the settings from a {@link Binder} (with Spring's
 * relaxed names, so environment variables count) before any bean exists, so nothing is generated or
 * connected first. Never prints a secret's value. Stateless and thread-safe.
 */
final class ProductionChecks {

    private ProductionChecks() {}

    /** Every problem, in a fixed order; empty when the configuration is fit for production. */
    static List<String> problems(Binder binder) {
        List<String> problems = new ArrayList<>();
        publicUrl(binder, problems);
        internalDomains(binder, problems);
        relay(binder, problems);
        secret(binder, "todoke.web.secret", "the server secret of passcodes and forms", problems);
        secret(binder, "todoke.mail.seal-key", "the key that seals Todoke's own mail against loops", problems);
        secret(binder, "todoke.audit.key", "the key that chains the audit log against changes", problems);
        keys(binder, problems);
        database(binder, problems);
        adminSignIn(binder, problems);
        return problems;
    }

    /**
     * The local admin password must not be stored as {@code {noop}} clear text, nor be short; single sign-on
     * must talk to its provider over https.
     */
    private static void adminSignIn(Binder binder, List<String> problems) {
        String password = binder.bind("todoke.admin.password", String.class).orElse("");
        boolean local = binder.bind("todoke.admin.local-account", Boolean.class).orElse(true);
        if (local && !password.isEmpty()) {
            if (password.startsWith("{noop}")) {
                problems.add("todoke.admin.password is a {noop} password: give it as {bcrypt}... (htpasswd -nbBC 12"
                        + " '' 'password' | cut -c2-) or as plain text from a Secret, which is hashed at start");
            } else if (!password.startsWith("{") && password.length() < 12) {
                problems.add("todoke.admin.password is shorter than 12 characters: the admin account guards every"
                        + " transfer; use a long random password (or {bcrypt}...), or turn the local account off"
                        + " with todoke.admin.local-account=false and sign in with SSO");
            }
        }
        String issuer = binder.bind("spring.security.oauth2.client.provider.todoke.issuer-uri", String.class)
                .orElse("")
                .trim();
        if (!issuer.isEmpty() && !issuer.toLowerCase(Locale.ROOT).startsWith("https://")) {
            problems.add("spring.security.oauth2.client.provider.todoke.issuer-uri is " + issuer
                    + ": single sign-on needs its identity provider over https");
        }
    }

    private static void publicUrl(Binder binder, List<String> problems) {
        String url = binder.bind("todoke.public-url", String.class)
                .orElse("http://127.0.0.1:8080")
                .trim();
        if (!url.toLowerCase(Locale.ROOT).startsWith("https://")) {
            problems.add("todoke.public-url is " + url + ": every link Todoke mails must be https"
                    + " (for example https://files.example.com)");
        }
    }

    private static void internalDomains(Binder binder, List<String> problems) {
        List<String> domains = binder.bind("todoke.internal-domains", Bindable.listOf(String.class))
                .orElse(List.of());
        if (domains.stream().allMatch(String::isBlank)) {
            problems.add("todoke.internal-domains is empty: set your organisation's mail domains"
                    + " (without them Todoke cannot tell outbound mail from inbound)");
        }
    }

    private static void relay(Binder binder, List<String> problems) {
        RelayProperties relay = binder.bindOrCreate("todoke.relay", RelayProperties.class);
        if (!relay.hasHost()) {
            problems.add("todoke.relay.host is not set: mail would be kept in the dev outbox, which exists only in"
                    + " dev mode; set the next hop (your MTA's re-injection port or a smart host)");
        } else if (!relay.credentialsProtected()) {
            problems.add("todoke.relay.username is set but todoke.relay.starttls is "
                    + relay.starttls().name().toLowerCase(Locale.ROOT)
                    + (relay.verifiesCertificate() ? "" : " and todoke.relay.verify-certificate is false")
                    + ": relay credentials need todoke.relay.starttls=required with certificate and host-name"
                    + " verification (todoke.relay.trust-store for a private CA)");
        }
    }

    private static void secret(Binder binder, String name, String what, List<String> problems) {
        if (binder.bind(name, String.class).orElse("").isBlank()) {
            problems.add(name + " is not set: " + what + " is never generated in production; give base64 of 32"
                    + " random bytes (head -c 32 /dev/urandom | base64), the same on every replica");
        }
    }

    private static void keys(Binder binder, List<String> problems) {
        StorageProperties.Keys keys = binder.bindOrCreate("todoke.storage.keys", StorageProperties.Keys.class);
        boolean keyFile = keys.file() != null && Files.isRegularFile(keys.file());
        boolean configured = keys.kek().stream().anyMatch(k -> !k.key().isBlank());
        if (!configured && !keyFile) {
            problems.add("todoke.storage.keys.kek is not set: key-encryption keys are never generated in"
                    + " production; set todoke.storage.keys.primary and todoke.storage.keys.kek[0].id and .key"
                    + (keys.file() == null ? "" : " (todoke.storage.keys.file names no existing file)"));
        }
    }

    private static void database(Binder binder, List<String> problems) {
        String url =
                binder.bind("spring.datasource.url", String.class).orElse("").trim();
        if (url.isEmpty()) {
            problems.add("spring.datasource.url is not set: an embedded database would be used; production needs"
                    + " PostgreSQL (jdbc:postgresql://host:5432/todoke)");
        } else if (url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            problems.add("spring.datasource.url is the embedded H2 database (jdbc:h2:...): production needs"
                    + " PostgreSQL (jdbc:postgresql://host:5432/todoke)");
        }
    }
}
