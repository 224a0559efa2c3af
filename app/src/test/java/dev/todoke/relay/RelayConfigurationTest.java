package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With todoke.relay.host set, the one NextHop is the SMTP client and the dev outbox is gone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RelayConfigurationTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", dataDir::toString);
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.relay.host", () -> "127.0.0.1");
        registry.add("todoke.relay.port", () -> "10026");
    }

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int webPort;

    @Test
    void nextHopWhenRelayHostSetThenSmtpAndNoOutboxPage() throws Exception {
        assertThat(context.getBeansOfType(NextHop.class)).hasSize(1);
        assertThat(context.getBean(NextHop.class).describe()).isEqualTo("smtp://127.0.0.1:10026");

        HttpResponse<String> outbox = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/outbox"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(outbox.statusCode()).isEqualTo(404);
    }
}
