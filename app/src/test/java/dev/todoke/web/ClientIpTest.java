package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@link ClientIp} behind a reverse proxy, as docs/production-mode.md tells to configure it: with
 * {@code server.forward-headers-strategy=native}, Tomcat takes the client from {@code X-Forwarded-For}
 * only when the request comes from a trusted proxy ({@code server.tomcat.remoteip.internal-proxies}).
 */
class ClientIpTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class
    })
    static class Web {}

    @RestController
    static class Echo {
        @GetMapping("/ip")
        String ip(HttpServletRequest request) {
            return ClientIp.of(request);
        }
    }

    private static String clientIpSeen(String forwardedFor, String... settings) throws Exception {
        String[] args = Stream.concat(Stream.of("--server.port=0", "--server.address=127.0.0.1"), Stream.of(settings))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Web.class, Echo.class)
                .web(WebApplicationType.SERVLET)
                .run(args)) {
            String port = context.getEnvironment().getProperty("local.server.port");
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ip"))
                                    .header("X-Forwarded-For", forwardedFor)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    @Test
    void ofWhenNativeStrategyAndRequestFromTrustedProxyThenTheForwardedClient() throws Exception {
        assertThat(clientIpSeen("198.51.100.9, 203.0.113.7", "--server.forward-headers-strategy=native"))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void ofWhenNativeStrategyButRequestNotFromATrustedProxyThenTheHeaderIsIgnored() throws Exception {
        assertThat(clientIpSeen(
                        "203.0.113.7",
                        "--server.forward-headers-strategy=native",
                        "--server.tomcat.remoteip.internal-proxies=192.0.2.0/24"))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void ofWhenNoForwardHeadersStrategyThenTheTcpPeer() throws Exception {
        assertThat(clientIpSeen("203.0.113.7")).isEqualTo("127.0.0.1");
    }
}
