package dev.todoke.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Fetches MTA-STS policies over HTTPS as RFC 8461 section 3.3 asks: a certificate valid for
 * {@code mta-sts.<domain>} against the trust store, status 200 without following redirects, media type
 * {@code text/plain}, at most 64 KiB. The host is resolved by the system resolver.
 */
final class HttpsMtaStsPolicyFetcher implements MtaStsPolicyFetcher {

    static final int MAX_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Function<String, URI> uriForDomain;

    HttpsMtaStsPolicyFetcher(SSLContext sslContext) {
        this(sslContext, domain -> URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt"));
    }

    /** For tests: fetches from {@code uriForDomain} instead of the well-known address. */
    HttpsMtaStsPolicyFetcher(SSLContext sslContext, Function<String, URI> uriForDomain) {
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.uriForDomain = uriForDomain;
    }

    @Override
    public String fetch(String domain, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uriForDomain.apply(domain))
                .timeout(timeout)
                .header("Accept", "text/plain")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("MTA-STS policy fetch answered HTTP " + response.statusCode());
            }
            String type =
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("text/plain")) {
                throw new IOException("MTA-STS policy is not text/plain: " + type);
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("MTA-STS policy is larger than 64 KiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
