package dev.todoke.console;

import dev.todoke.web.WebAppTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the console's SpringBootTests: the web application of {@link WebAppTest} with the local admin
 * account on, a real OIDC provider in-process (mock-oauth2-server on its Netty server) for sign-ins, and
 * template edits read on every render; one shared context for every console test.
 */
public abstract class ConsoleAppTest extends WebAppTest {

    protected static final String ADMIN_PASSWORD = "console-test-password";

    protected static final String ADMIN_AUTH =
            "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    static final String CLIENT_ID = "todoke-console-test";

    static final MockOAuth2Server IDP = startIdp();

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private static MockOAuth2Server startIdp() {
        MockOAuth2Server server = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(), new NettyWrapper()));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        return server;
    }

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        registry.add("todoke.admin.password", () -> ADMIN_PASSWORD);
        registry.add("todoke.templates.refresh-interval", () -> "0s");
        String prefix = "spring.security.oauth2.client.registration.todoke.";
        registry.add(prefix + "client-id", () -> CLIENT_ID);
        registry.add(prefix + "client-secret", () -> "client-secret");
        registry.add(prefix + "scope", () -> "openid,email,profile");
        registry.add(
                "spring.security.oauth2.client.provider.todoke.issuer-uri",
                () -> IDP.issuerUrl("todoke").toString());
    }

    /** GET as the local admin. */
    protected HttpResponse<String> adminGet(String path, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Authorization", ADMIN_AUTH)
                .GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method as the local admin with a body of the given type (null: none). */
    protected HttpResponse<String> adminSend(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Authorization", ADMIN_AUTH)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST as the local admin over HTTP Basic (a script's call: no CSRF field needed). */
    protected HttpResponse<String> adminForm(String path, String form) throws Exception {
        return adminSend("POST", path, "application/x-www-form-urlencoded", form);
    }

    /** Signs in through the OIDC provider as this user; the returned session keeps the cookies. */
    protected SignedIn signIn(String subject, Map<String, Object> claims) throws Exception {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("todoke", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
        SignedIn session = new SignedIn();
        session.landed = session.follow("/oauth2/authorization/todoke");
        return session;
    }

    /** A browser's session over the test's HTTP client: cookies kept, redirects followed by hand. */
    protected final class SignedIn {

        public final Map<String, String> cookies = new LinkedHashMap<>();
        public HttpResponse<String> landed;

        public HttpResponse<String> get(String pathOrUri) throws Exception {
            return send(HttpRequest.newBuilder(target(pathOrUri)).GET());
        }

        public HttpResponse<String> follow(String pathOrUri) throws Exception {
            HttpResponse<String> response = get(pathOrUri);
            for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
                URI next = response.uri()
                        .resolve(response.headers().firstValue("Location").orElseThrow());
                response = get(next.toString());
            }
            return response;
        }

        /** Posts a form with the CSRF field of {@code page}. */
        public HttpResponse<String> post(String path, String page, String form) throws Exception {
            Matcher csrf = CSRF_FIELD.matcher(page);
            if (!csrf.find()) {
                throw new AssertionError("no _csrf field in the page");
            }
            String body = "_csrf=" + java.net.URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                    + (form.isEmpty() ? "" : "&" + form);
            return send(HttpRequest.newBuilder(target(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        public HttpResponse<String> postWithoutCsrf(String path) throws Exception {
            return send(HttpRequest.newBuilder(target(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")));
        }

        private URI target(String pathOrUri) {
            return pathOrUri.startsWith("http") ? URI.create(pathOrUri) : uri(pathOrUri);
        }

        private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
            if (!cookies.isEmpty()) {
                builder.header(
                        "Cookie",
                        String.join(
                                "; ",
                                cookies.entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .toList()));
            }
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String line : response.headers().allValues("Set-Cookie")) {
                String pair = line.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || line.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        }
    }
}
