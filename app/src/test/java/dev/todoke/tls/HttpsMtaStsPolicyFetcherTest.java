package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTPS policy fetch against a local HTTPS server with a certificate from the test CA. */
class HttpsMtaStsPolicyFetcherTest {

    static TestPki.Issued ca;
    static HttpsServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        ca = TestPki.ca("Todoke Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "localhost", "localhost");
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext(leaf)));
        server.createContext("/good.test/.well-known/mta-sts.txt", exchange -> {
            byte[] body = TestTls.recorded("enforce-gmail.txt").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/redirect.test/", exchange -> {
            exchange.getResponseHeaders().set("Location", base + "/good.test/.well-known/mta-sts.txt");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/html.test/", exchange -> {
            byte[] body = "<html></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/huge.test/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[HttpsMtaStsPolicyFetcher.MAX_BYTES + 10]);
            } catch (IOException e) {
                // the client stops reading
            }
        });
        server.start();
        base = "https://localhost:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static HttpsMtaStsPolicyFetcher fetcher(TestPki.Issued trusted) throws Exception {
        return new HttpsMtaStsPolicyFetcher(
                TestPki.clientContext(trusted.cert()),
                domain -> URI.create(base + "/" + domain + "/.well-known/mta-sts.txt"));
    }

    @Test
    void fetchWhenServedAsTextPlainOverTrustedHttpsThenPolicyText() throws Exception {
        String text = fetcher(ca).fetch("good.test", Duration.ofSeconds(5));

        assertThat(MtaStsPolicy.parse(text).mode()).isEqualTo("enforce");
    }

    @Test
    void fetchWhenCertificateNotTrustedThenFails() {
        assertThatThrownBy(() -> fetcher(TestPki.ca("Other CA")).fetch("good.test", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void fetchWhenNotFoundThenFailsWithStatus() {
        assertThatThrownBy(() -> fetcher(ca).fetch("missing.test", Duration.ofSeconds(5)))
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void fetchWhenRedirectedThenNotFollowed() {
        assertThatThrownBy(() -> fetcher(ca).fetch("redirect.test", Duration.ofSeconds(5)))
                .hasMessageContaining("HTTP 302");
    }

    @Test
    void fetchWhenNotTextPlainThenFails() {
        assertThatThrownBy(() -> fetcher(ca).fetch("html.test", Duration.ofSeconds(5)))
                .hasMessageContaining("not text/plain");
    }

    @Test
    void fetchWhenLargerThan64KibThenFails() {
        assertThatThrownBy(() -> fetcher(ca).fetch("huge.test", Duration.ofSeconds(5)))
                .hasMessageContaining("64 KiB");
    }
}
