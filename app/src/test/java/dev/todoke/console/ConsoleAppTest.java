package dev.todoke.console;

import dev.todoke.web.WebAppTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the console's SpringBootTests: the web application of {@link WebAppTest} with the local admin
 * account on (one shared context for every console test) and template edits read on every render.
 */
public abstract class ConsoleAppTest extends WebAppTest {

    protected static final String ADMIN_PASSWORD = "console-test-password";

    protected static final String ADMIN_AUTH =
            "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        registry.add("todoke.admin.password", () -> ADMIN_PASSWORD);
        registry.add("todoke.templates.refresh-interval", () -> "0s");
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

    /** A form POST as the local admin (with the session's CSRF field when the caller adds one). */
    protected HttpResponse<String> adminForm(String path, String form) throws Exception {
        return adminSend("POST", path, "application/x-www-form-urlencoded", form);
    }
}
