package dev.todoke.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.policy.PolicyStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in to the console and the sender portal, on the running application: the local account by form
 * and by HTTP Basic, administrators and senders through a real OIDC provider (authorization-code flow over
 * HTTP), roles from the configured claim, CSRF on session calls, the security headers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInTest {

    static final String PASSWORD = "correct horse battery staple";
    static final OidcProvider IDP = new OidcProvider();
    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("todoke-sec-signin");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", DIR::toString);
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.admin.username", () -> "admin");
        registry.add("todoke.admin.password", () -> PASSWORD);
        registry.add("server.forward-headers-strategy", () -> "native");
        IDP.register(registry);
    }

    @AfterAll
    static void stop() {
        IDP.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PolicyStore policies;

    final TestBrowser browser = new TestBrowser();

    @BeforeEach
    void forgetSignInFailures() {
        jdbc.sql("delete from rate_limit").update();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> signInWithSso(String subject, Map<String, Object> claims) throws Exception {
        IDP.nextSignIn(subject, claims);
        return browser.follow(uri("/oauth2/authorization/todoke"));
    }

    /** Posts the local account's sign-in form (with the CSRF field of {@code page}) to {@code path}. */
    private HttpResponse<String> postLocalSignIn(String path, HttpResponse<String> page) throws Exception {
        return browser.post(
                uri(path),
                "application/x-www-form-urlencoded",
                "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(TestBrowser.csrfField(page.body()), StandardCharsets.UTF_8));
    }

    @Test
    void ssoWhenAdminGroupThenConsoleAndAdminApiBySessionWithCsrf() throws Exception {
        HttpResponse<String> landed = signInWithSso(
                "alice",
                Map.of(
                        "groups",
                        List.of("staff", "todoke-admin"),
                        "email",
                        "alice@corp.example",
                        "email_verified",
                        true));

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/admin");
        assertThat(landed.body()).contains("id=\"user\">alice<");
        assertThat(browser.cookies).containsKey("todoke_console");

        HttpResponse<String> api = browser.get(uri("/api/v1/admin/no-such-thing"));
        assertThat(api.statusCode()).as("authorized, then not found").isEqualTo(404);

        HttpResponse<String> noToken = browser.post(uri("/api/v1/admin/no-such-thing"), "application/json", "{}");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).isEqualTo("{\"error\":\"csrf\"}");

        String token = TestBrowser.csrfField(landed.body());
        HttpResponse<String> withHeader =
                browser.post(uri("/api/v1/admin/no-such-thing"), "application/json", "{}", "X-CSRF-TOKEN", token);
        assertThat(withHeader.statusCode()).as("past the CSRF check").isIn(404, 405);

        HttpResponse<String> portal = browser.get(uri("/my"));
        assertThat(portal.statusCode()).isEqualTo(200);
        assertThat(portal.body()).contains("alice@corp.example");

        HttpResponse<String> tls = browser.get(uri("/api/v1/admin/tls/not_a_domain!"));
        assertThat(tls.statusCode())
                .as("the TLS admin API answers an OIDC admin's session")
                .isEqualTo(400);
        assertThat(tls.body()).contains("not a valid domain name");
    }

    @Test
    void ssoWhenRoleClaimIsOneStringThenAdmin() throws Exception {
        HttpResponse<String> landed = signInWithSso("carol", Map.of("groups", "todoke-admin"));

        assertThat(landed.uri().getPath()).isEqualTo("/admin");
        assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(200);
    }

    @Test
    void ssoWhenNotAdminThenPortalWithVerifiedEmailAnd403OnConsoleAndAdminApi() throws Exception {
        HttpResponse<String> landed =
                signInWithSso("bob", Map.of("groups", "staff", "email", "Bob@Corp.Example", "email_verified", true));

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/my");
        assertThat(landed.body()).contains("id=\"email\">bob@corp.example<");
        assertThat(policies.groupsOf("bob@corp.example"))
                .as("groups for sender policies")
                .containsExactly("staff");
        assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(403);
        HttpResponse<String> api = browser.get(uri("/api/v1/admin/tls/example.com"));
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).isEqualTo("{\"error\":\"forbidden\"}");
    }

    @Test
    void ssoWhenManagerClaimThenManagerRecordedAndReplacedOrRemovedAtTheNextSignIn() throws Exception {
        signInWithSso(
                "frank",
                Map.of(
                        "email", "frank@corp.example",
                        "email_verified", true,
                        "groups", "sales",
                        "manager", "Boss@Corp.Example"));
        assertThat(policies.managerOf("frank@corp.example")).contains("boss@corp.example");

        IDP.nextSignIn("frank", Map.of("email", "frank@corp.example", "email_verified", true, "manager", "CN=Boss"));
        assertThat(new TestBrowser().follow(uri("/oauth2/authorization/todoke")).statusCode())
                .isEqualTo(200);

        assertThat(policies.managerOf("frank@corp.example"))
                .as("not a mail address: forgotten")
                .isEmpty();
        assertThat(policies.groupsOf("frank@corp.example")).isEmpty();
    }

    @Test
    void ssoWhenEmailNotVerifiedThenPortalHasNoAddress() throws Exception {
        HttpResponse<String> landed =
                signInWithSso("dave", Map.of("email", "dave@corp.example", "email_verified", false));

        assertThat(landed.uri().getPath()).isEqualTo("/my");
        assertThat(landed.body()).doesNotContain("dave@corp.example").contains("no verified e-mail");
    }

    @Test
    void portalWhenNotSignedInThenSentToSso() throws Exception {
        HttpResponse<String> response = browser.get(uri("/my"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/oauth2/authorization/todoke"));
    }

    @Test
    void formWhenLocalAccountThenConsoleAfterSignInAndNoPortal() throws Exception {
        HttpResponse<String> redirected = browser.get(uri("/admin"));
        assertThat(redirected.statusCode()).isEqualTo(302);
        assertThat(redirected.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/login"));
        HttpResponse<String> login = browser.get(uri("/admin/login"));
        assertThat(login.body()).contains("/oauth2/authorization/todoke", "name=\"password\"");

        HttpResponse<String> signedIn = postLocalSignIn("/admin/login", login);

        assertThat(signedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> console = browser.follow(
                signedIn.uri().resolve(signedIn.headers().firstValue("Location").orElseThrow()));
        assertThat(console.uri().getPath()).isEqualTo("/admin");
        assertThat(console.body()).contains("id=\"user\">admin<");
        assertThat(browser.get(uri("/my")).statusCode())
                .as("the local account is no sender")
                .isEqualTo(403);
    }

    @Test
    void formWhenWrongPasswordOrNoCsrfThenRefused() throws Exception {
        HttpResponse<String> login = browser.get(uri("/admin/login"));
        String field = URLEncoder.encode(TestBrowser.csrfField(login.body()), StandardCharsets.UTF_8);

        HttpResponse<String> wrong = browser.post(
                uri("/admin/login"),
                "application/x-www-form-urlencoded",
                "username=admin&password=nope&_csrf=" + field);
        HttpResponse<String> noCsrf = browser.post(
                uri("/admin/login"),
                "application/x-www-form-urlencoded",
                "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));

        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/login?error"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(302);
    }

    @Test
    void basicWhenAdminApiThenNoCsrfNeededUnlessSentCrossSiteByABrowser() throws Exception {
        HttpResponse<String> script = browser.post(
                uri("/api/v1/admin/no-such-thing"),
                "application/json",
                "{}",
                "Authorization",
                basic("admin", PASSWORD));
        assertThat(browser.cookies).as("Basic calls start no session").doesNotContainKey("todoke_console");
        HttpResponse<String> crossSite = browser.post(
                uri("/api/v1/admin/no-such-thing"),
                "application/json",
                "{}",
                "Authorization",
                basic("admin", PASSWORD),
                "Sec-Fetch-Site",
                "cross-site");

        assertThat(script.statusCode()).isIn(404, 405);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).isEqualTo("{\"error\":\"csrf\"}");
    }

    @Test
    void basicWhenTenFailuresThen429ForEverySignInAttemptOnEveryPathSpelling() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(browser.get(uri("/api/v1/admin/tls/example.com"), "Authorization", basic("admin", "wrong" + i))
                            .statusCode())
                    .as("failure " + (i + 1))
                    .isEqualTo(401);
        }

        HttpResponse<String> blocked =
                browser.get(uri("/api/v1/admin/tls/example.com"), "Authorization", basic("admin", PASSWORD));
        assertThat(blocked.statusCode()).as("even the right password").isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).contains("60");
        assertThat(blocked.body()).isEqualTo("{\"error\":\"rate-limited\"}");
        for (String path : List.of(
                "/%61pi/v1/admin/tls/example.com",
                "/api/v1/%61dmin/tls/example.com",
                "/api;x/v1/admin/tls/example.com",
                "//api/v1/admin/tls/example.com",
                "/api/v1/admin/../admin/tls/example.com",
                "/admin/login")) {
            HttpResponse<String> variant = browser.get(uri(path), "Authorization", basic("admin", PASSWORD));
            assertThat(variant.statusCode()).as(path).isIn(400, 429);
        }
        HttpResponse<String> login = browser.get(uri("/admin/login"));
        HttpResponse<String> form = postLocalSignIn("/%61dmin/login", login);
        assertThat(form.statusCode()).isEqualTo(429);
        assertThat(browser.get(uri("/api/v1/admin/tls/example.com")).statusCode())
                .as("no credentials: no sign-in attempt")
                .isEqualTo(401);
    }

    @Test
    void formWhenTenFailuresThen429() throws Exception {
        HttpResponse<String> login = browser.get(uri("/admin/login"));
        String field = URLEncoder.encode(TestBrowser.csrfField(login.body()), StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> failed = browser.post(
                    uri("/admin/login"),
                    "application/x-www-form-urlencoded",
                    "username=admin&password=wrong&_csrf=" + field);
            assertThat(failed.statusCode()).isEqualTo(302);
        }

        HttpResponse<String> blocked = browser.post(
                uri("/admin/login"),
                "application/x-www-form-urlencoded",
                "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + field);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(browser.get(uri("/api/v1/admin/tls/example.com"), "Authorization", basic("admin", PASSWORD))
                        .statusCode())
                .as("Basic and form share the bucket")
                .isEqualTo(429);
    }

    @Test
    void headersWhenConsoleThenOwnScriptsAllowedAndHstsOnHttps() throws Exception {
        HttpResponse<String> plain = browser.get(uri("/admin/login"));
        HttpResponse<String> https = browser.get(uri("/admin/login"), "X-Forwarded-Proto", "https");
        HttpResponse<String> recipient = browser.get(uri("/d/nosuchtokennosuchtokennosuchtoken"));

        assertThat(plain.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp ->
                        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"));
        assertThat(plain.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(plain.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(plain.headers().firstValue("Permissions-Policy"))
                .hasValueSatisfying(p -> assertThat(p).contains("camera=()"));
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(https.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(h -> assertThat(h).contains("max-age=31536000"));
        assertThat(recipient.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).doesNotContain("script-src"));
        assertThat(recipient.headers().firstValue("Permissions-Policy")).isPresent();
    }

    @Test
    void logoutWhenSignedInThenSessionEnds() throws Exception {
        HttpResponse<String> landed = signInWithSso("erin", Map.of("groups", List.of("todoke-admin")));
        String token = URLEncoder.encode(TestBrowser.csrfField(landed.body()), StandardCharsets.UTF_8);

        HttpResponse<String> out = browser.post(
                uri("/logout"), "application/x-www-form-urlencoded", "_csrf=" + token, "Accept", "text/html");

        assertThat(out.statusCode()).isEqualTo(302);
        String location = out.headers().firstValue("Location").orElseThrow();
        assertThat(location)
                .as("RP-initiated logout: through the provider's end-session endpoint, back to the sign-in page")
                .startsWith(IDP.issuer() + "/endsession")
                .contains("id_token_hint=")
                .endsWith("post_logout_redirect_uri=" + uri("/admin/login?logout"));
        HttpResponse<String> back = browser.follow(URI.create(location));
        assertThat(back.uri().toString()).endsWith("/admin/login?logout");
        assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(302);
    }

    @Test
    void logoutWhenLocalAccountThenStraightBackToSignInPage() throws Exception {
        HttpResponse<String> page = browser.get(uri("/admin/login"));
        HttpResponse<String> signedIn = postLocalSignIn("/admin/login", page);
        HttpResponse<String> landed = browser.follow(
                signedIn.uri().resolve(signedIn.headers().firstValue("Location").orElseThrow()));
        assertThat(landed.uri().getPath()).isEqualTo("/admin");
        String token = URLEncoder.encode(TestBrowser.csrfField(landed.body()), StandardCharsets.UTF_8);

        HttpResponse<String> out = browser.post(
                uri("/logout"), "application/x-www-form-urlencoded", "_csrf=" + token, "Accept", "text/html");

        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location"))
                .hasValueSatisfying(
                        l -> assertThat(l).isEqualTo(uri("/admin/login?logout").toString()));
        assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(302);
    }
}
