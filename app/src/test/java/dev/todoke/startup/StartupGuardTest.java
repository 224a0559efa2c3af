package dev.todoke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class StartupGuardTest {

    @TempDir
    Path dir;

    static final AtomicBoolean beanCreated = new AtomicBoolean();

    /** Stands for every other bean (a key generator, a connection pool): must never be created on refusal. */
    @Configuration(proxyBeanMethods = false)
    static class OtherBeans {
        @Bean
        Object someBean() {
            beanCreated.set(true);
            return new Object();
        }
    }

    private ApplicationContextRunner runner(Map<String, String> properties) {
        return new ApplicationContextRunner()
                .withUserConfiguration(StartupConfiguration.class, OtherBeans.class)
                .withPropertyValues(properties.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    @Test
    void startWhenProductionAndUnsafeThenRefusedBeforeAnyBeanOrDirectoryWithEveryProblem() {
        beanCreated.set(false);
        Path dataDir = dir.resolve("data");
        Map<String, String> properties = ProductionChecksTest.safe();
        properties.put("todoke.data-dir", dataDir.toString());
        properties.put("todoke.public-url", "http://files.corp.example");
        properties.remove("todoke.web.secret");

        runner(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOfSatisfying(
                            ProductionModeException.class,
                            e -> assertThat(e.problems()).hasSize(2))
                    .hasMessageContaining("todoke.mode=production and 2 settings are unsafe:")
                    .hasMessageContaining("\n  - todoke.public-url is http://files.corp.example")
                    .hasMessageContaining("\n  - todoke.web.secret is not set");
        });
        assertThat(beanCreated).isFalse();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void startWhenProductionAndSafeThenStarts() {
        Map<String, String> properties = ProductionChecksTest.safe();
        properties.put("todoke.data-dir", dir.resolve("data").toString());

        runner(properties).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void startWhenDevModeThenUnsafeSettingsAllowedAndDataAndH2DirectoriesCreatedOwnerOnly() throws Exception {
        Path dataDir = dir.resolve("data");
        Map<String, String> properties = Map.of(
                "todoke.data-dir",
                dataDir.toString(),
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDir + "/db/todoke;MODE=PostgreSQL");

        runner(properties).run(context -> assertThat(context).hasNotFailed());

        assertThat(dataDir.resolve("db")).isDirectory();
        Assumptions.assumeTrue(
                Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX only");
        for (Path p : List.of(dataDir, dataDir.resolve("db"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .as(p.toString())
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void startWhenModeMisspelledThenRefused() {
        runner(Map.of("todoke.mode", "prod", "todoke.data-dir", dir.toString()))
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("prod"));
    }

    @Test
    void analyzeWhenRefusedThenOneLinePerProblemAndWhatToDo() {
        ProductionModeException refused = new ProductionModeException(
                List.of("todoke.public-url is http://x: a", "todoke.relay.host is not set: b"));

        FailureAnalysis analysis = new ProductionModeFailureAnalyzer().analyze(refused);

        assertThat(analysis.getDescription().lines())
                .containsExactly(
                        "Todoke refuses to start: todoke.mode=production and 2 settings are unsafe:",
                        "  - todoke.public-url is http://x: a",
                        "  - todoke.relay.host is not set: b");
        assertThat(analysis.getAction()).contains("docs/production-mode.md").contains("todoke.mode=dev");
    }
}
