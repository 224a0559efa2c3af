package dev.todoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTP to one replica's web port. Each request claims to come through a proxy from a client IP of its
 * own ({@code X-Forwarded-For}, honoured with {@code server.forward-headers-strategy=native}), so that
 * only the requests of the rate-limit test share a bucket.
 */
final class ReplicaClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    ReplicaClient(ConfigurableApplicationContext context) {
        this.base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    HttpResponse<String> get(String path) throws Exception {
        return get(path, randomIp());
    }

    HttpResponse<String> get(String path, String clientIp) throws Exception {
        return http.send(request(path, clientIp).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                request(path, randomIp())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The bytes of a download with a session cookie; fails on any status but 200. */
    byte[] download(String path, String cookie) throws Exception {
        HttpResponse<byte[]> response = http.send(
                request(path, randomIp()).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path, String clientIp) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("X-Forwarded-For", clientIp);
    }

    private static String randomIp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }
}
