package dev.todoke.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.todoke.TodokeApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class BrowserSmokeTest {

    @TempDir
    Path dataDir;

    @Test
    void healthWhenOpenedInChromiumThenShowsUp() {
        try (Browser browser = Browser.launch();
                ConfigurableApplicationContext app = new SpringApplicationBuilder(TodokeApplication.class)
                        .run(
                                "--todoke.data-dir=" + dataDir,
                                "--todoke.internal-domains=example.com",
                                "--server.port=0",
                                "--management.server.port=0",
                                "--todoke.smtp.port=0")) {
            // health is on the management port (docs/observability.md)
            int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.management.port"));
            try (BrowserContext context = browser.newContext("en-US")) {
                Page page = context.newPage();
                Response response = page.navigate("http://127.0.0.1:" + port + "/actuator/health");

                assertThat(response.status()).isEqualTo(200);
                assertThat(page.content()).contains("UP");
            }
        }
    }
}
