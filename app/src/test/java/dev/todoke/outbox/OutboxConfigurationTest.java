package dev.todoke.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The dev outbox exists only in dev mode and only without a relay host. */
class OutboxConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withBean(
                        TodokeProperties.class,
                        () -> new TodokeProperties(URI.create("http://127.0.0.1:8080"), dir, List.of("corp.example")))
                .withBean(Clock.class, Clock::systemUTC)
                .withBean(SecureRandom.class, SecureRandom::new)
                .withUserConfiguration(OutboxConfiguration.class);
    }

    @Test
    void devOutboxWhenDevModeWithoutRelayHostThenPresent() {
        runner().run(context -> assertThat(context).hasSingleBean(DevOutbox.class));
        runner().withPropertyValues("todoke.mode=dev")
                .run(context -> assertThat(context).hasSingleBean(DevOutbox.class));
    }

    @Test
    void devOutboxWhenProductionModeThenAbsentEvenWithoutRelayHost() {
        runner().withPropertyValues("todoke.mode=production")
                .run(context -> assertThat(context).doesNotHaveBean(DevOutbox.class));
    }

    @Test
    void devOutboxWhenRelayHostSetThenAbsent() {
        runner().withPropertyValues("todoke.relay.host=127.0.0.1")
                .run(context -> assertThat(context).doesNotHaveBean(DevOutbox.class));
    }
}
