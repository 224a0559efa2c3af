package dev.todoke.admin;

import dev.todoke.web.TempDirs;
import dev.todoke.web.WebAppTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the admin API tests: the web application with the local admin account, and requests that
 * authenticate with HTTP Basic (which the admin API keeps accepting whatever guards it).
 */
public abstract class AdminApiTestBase extends WebAppTest {

    protected static final String ADMIN = "admin";
    protected static final String PASSWORD = "admin test password";

    /**
     * A database of its own: a context sharing the web tests' database would share their rate-limit
     * buckets, written under another movable clock. (The data dir, and so the outbox, is shared.)
     */
    private static final Path adminDb = TempDirs.create("todoke-admin-test");

    @DynamicPropertySource
    static void adminProperties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:h2:file:" + adminDb.resolve("todoke")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("todoke.admin.username", () -> ADMIN);
        registry.add("todoke.admin.password", () -> PASSWORD);
    }

    protected static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> adminGet(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    protected HttpResponse<String> adminPost(String path, String body, String... headers)
            throws IOException, InterruptedException {
        return send("POST", path, body, headers);
    }

    protected HttpResponse<String> adminPut(String path, String body, String... headers)
            throws IOException, InterruptedException {
        return send("PUT", path, body, headers);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Authorization", basic())
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
