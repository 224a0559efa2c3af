package dev.todoke.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeApplication;
import dev.todoke.testkit.Components;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Two replicas on one PostgreSQL database, behind one (simulated) load balancer {@code lb.test}: a
 * session, its CSRF token and an OIDC sign-in begun on one replica all work on the other, because none of
 * them lives in a replica's memory (Spring Session JDBC).
 */
class ReplicaSessionsTest {

    static final String PASSWORD = "correct horse battery staple";
    static final String DATABASE = "todoke_sec_replicas";

    static OidcProvider idp;
    static JdbcClient admin;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() throws Exception {
        String url = Components.requirePostgres();
        admin = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));
        admin.sql("drop database if exists " + DATABASE + " with (force)").update();
        admin.sql("create database " + DATABASE).update();
        idp = new OidcProvider();
        Path dir = Files.createTempDirectory("todoke-sec-replicas");
        Map<String, String> properties = new LinkedHashMap<>(idp.properties());
        properties.put("spring.datasource.url", url.substring(0, url.lastIndexOf('/') + 1) + DATABASE);
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("todoke.web.secret", "9SNgtx+DNi0AZYHM12IX7ihOkU9zihyNbS0ZqX7NES8=");
        properties.put("todoke.admin.password", PASSWORD);
        properties.put("todoke.smtp.port", "0");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("todoke.storage.warm-up", "0");
        // The load balancer tells each replica the public host, as an ingress does.
        properties.put("server.forward-headers-strategy", "framework");
        a = run(properties, dir.resolve("a"));
        b = run(properties, dir.resolve("b"));
    }

    private static ConfigurableApplicationContext run(Map<String, String> properties, Path dataDir) {
        Map<String, String> own = new LinkedHashMap<>(properties);
        own.put("todoke.data-dir", dataDir.toString());
        return new SpringApplicationBuilder(TodokeApplication.class)
                .run(own.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (idp != null) {
            idp.stop();
        }
        if (admin != null) {
            admin.sql("drop database if exists " + DATABASE + " with (force)").update();
        }
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Sends requests for {@code lb.test} to the replica given. */
    static UnaryOperator<URI> to(ConfigurableApplicationContext replica) {
        return uri -> "lb.test".equals(uri.getHost())
                ? URI.create("http://127.0.0.1:" + port(replica) + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                : uri;
    }

    static URI on(ConfigurableApplicationContext replica, String path) {
        return to(replica).apply(URI.create("http://lb.test" + path));
    }

    static TestBrowser browser() {
        TestBrowser browser = new TestBrowser();
        browser.fixedHeaders.addAll(List.of("X-Forwarded-Host", "lb.test", "X-Forwarded-Proto", "http"));
        return browser;
    }

    @Test
    void formSignInOnOneReplicaThenSessionAndCsrfTokenWorkOnTheOther() throws Exception {
        TestBrowser browser = browser();
        HttpResponse<String> login = browser.get(on(a, "/admin/login"));
        HttpResponse<String> signedIn = browser.post(
                on(b, "/admin/login"),
                "application/x-www-form-urlencoded",
                "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(TestBrowser.csrfField(login.body()), StandardCharsets.UTF_8));
        assertThat(signedIn.statusCode())
                .as("CSRF token of A's page accepted by B")
                .isEqualTo(302);

        HttpResponse<String> console = browser.get(on(a, "/admin"));
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("id=\"user\">admin<");
        String token = TestBrowser.csrfField(console.body());
        HttpResponse<String> api =
                browser.post(on(b, "/api/v1/admin/no-such-thing"), "application/json", "{}", "X-CSRF-TOKEN", token);
        assertThat(api.statusCode()).as("B: signed in and past the CSRF check").isIn(404, 405);
    }

    @Test
    void ssoBegunOnOneReplicaThenCompletedOnTheOther() throws Exception {
        TestBrowser browser = browser();
        String subject = "sso-" + UUID.randomUUID();
        idp.nextSignIn(subject, Map.of("groups", List.of("todoke-admin")));

        HttpResponse<String> toIdp = browser.get(on(a, "/oauth2/authorization/todoke"));
        assertThat(toIdp.statusCode()).isEqualTo(302);
        URI authorize = URI.create(toIdp.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> console = browser.follow(authorize, to(b));

        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.uri().getPort()).isEqualTo(port(b));
        assertThat(console.body()).contains("id=\"user\">" + subject + "<");
        assertThat(browser.get(on(a, "/admin")).statusCode()).isEqualTo(200);
    }
}
