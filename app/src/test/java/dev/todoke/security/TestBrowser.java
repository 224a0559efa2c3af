package dev.todoke.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal browser over a real HTTP client: one cookie jar for every host (as behind one load balancer),
 * redirects followed by hand so a test can route each hop (to another replica, say) and see each answer.
 */
final class TestBrowser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    final Map<String, String> cookies = new LinkedHashMap<>();
    final List<String> fixedHeaders = new ArrayList<>();

    HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET(), headers);
    }

    HttpResponse<String> post(URI uri, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    /** GETs the URI and follows redirects (at most 10), each hop's target passed through {@code route}. */
    HttpResponse<String> follow(URI start, UnaryOperator<URI> route) throws IOException, InterruptedException {
        HttpResponse<String> response = get(route.apply(start));
        for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
            URI next = response.uri()
                    .resolve(response.headers().firstValue("Location").orElseThrow());
            response = get(route.apply(next));
        }
        return response;
    }

    HttpResponse<String> follow(URI start) throws IOException, InterruptedException {
        return follow(start, UnaryOperator.identity());
    }

    /** The first hidden {@code _csrf} field of a page. */
    static String csrfField(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no _csrf field in " + html);
        }
        return matcher.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String... headers)
            throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            builder.header(
                    "Cookie",
                    String.join(
                            "; ",
                            cookies.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
        }
        if (!fixedHeaders.isEmpty()) {
            builder.headers(fixedHeaders.toArray(String[]::new));
        }
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        for (String line : response.headers().allValues("Set-Cookie")) {
            String pair = line.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.isEmpty() || line.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
