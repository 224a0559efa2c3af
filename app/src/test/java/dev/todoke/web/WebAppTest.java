package dev.todoke.web;

import dev.todoke.storage.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the web SpringBootTests: the whole application on a random port with H2 and the dev outbox
 * under a temporary data dir, the encrypted filesystem store, a movable clock, and a real HTTP client that keeps
 * no cookies on its own (tests pass them explicitly).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(WebTestConfiguration.class)
public abstract class WebAppTest {

    /**
     * One data dir for every class that shares this cached application context (a per-class @TempDir
     * would be deleted while the context still writes to the first one).
     */
    protected static final Path dataDir = TempDirs.create("todoke-web-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", dataDir::toString);
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.web.rate-limit-per-minute", () -> "100000");
        registry.add("todoke.web.zone", () -> "Asia/Tokyo");
        registry.add("todoke.storage.warm-up", () -> "0");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected MutableClock clock;

    /** The application's own store: encrypted, on the filesystem under the data dir. */
    @Autowired
    protected BlobStore store;

    protected final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    protected final JsonMapper json = JsonMapper.builder().build();

    /**
     * Requests and sign-in failures are counted per client IP in the shared database (all tests come from
     * 127.0.0.1): what one test class spends must not throttle the next one that shares this context.
     */
    @BeforeEach
    void forgetRateLimits() {
        jdbc.sql("delete from rate_limit").update();
    }

    protected TestRows rows() {
        return TestRows.message(jdbc, store, clock.instant())
                .recipient("hanako@example.com")
                .file("見積書.pdf", "application/pdf", "%PDF-1.7 見積".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .file("notes.txt", "hello, world\n");
    }

    protected Outbox outbox() {
        return new Outbox(dataDir);
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected HttpResponse<String> postJson(String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postForm(String path, String form, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected JsonNode parse(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** The value of a Set-Cookie of that name, as a Cookie request header value ("name=value"). */
    protected static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers()));
    }

    protected static String setCookieLine(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    /**
     * Posts {@code /api/v1/d/{token}/code} (expecting 202) and returns the code from the one new otp mail
     * to the address (the only 6-digit number in its text).
     */
    protected String requestCode(String token, String address) throws IOException, InterruptedException {
        java.util.Set<String> before =
                outbox().all().stream().map(Outbox.Mail::id).collect(java.util.stream.Collectors.toSet());
        HttpResponse<String> response = postJson("/api/v1/d/" + token + "/code", "");
        if (response.statusCode() != 202) {
            throw new AssertionError("code request answered " + response.statusCode() + " " + response.body());
        }
        var mails = outbox().to(address).stream()
                .filter(m -> "otp".equals(m.kind()) && !before.contains(m.id()))
                .toList();
        if (mails.size() != 1) {
            throw new AssertionError("expected one new otp mail to " + address + ", got " + mails.size());
        }
        return codeIn(mails.get(0).text());
    }

    protected static String codeIn(String text) {
        var matcher = java.util.regex.Pattern.compile("(?<!\\d)\\d{6}(?!\\d)").matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no code in the mail");
        }
        return matcher.group();
    }
}
