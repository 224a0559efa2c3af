package dev.todoke.startup;

import dev.todoke.storage.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;

/**
 * Runs before any other bean is created: in production mode, refuses to start with {@link
 * ProductionModeException} (every problem at once) when {@link ProductionChecks} finds any, so that no
 * key is generated and nothing is connected first; then, in every mode, creates the data directory and
 * the directory of an H2 file database owner-only ({@code rwx------}), before H2 or anything else writes
 * into them. Runs once per context, on the starting thread.
 */
final class StartupGuard implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);
    private static final String H2_FILE = "jdbc:h2:file:";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        Mode mode = binder.bind("todoke.mode", Mode.class).orElse(Mode.DEV);
        if (mode == Mode.PRODUCTION) {
            List<String> problems = ProductionChecks.problems(binder);
            if (!problems.isEmpty()) {
                throw new ProductionModeException(problems);
            }
            log.info("Mode: production (public URL, next hop, secrets, keys, database and relay TLS checked)");
        } else {
            log.info("Mode: dev (embedded defaults allowed; set todoke.mode=production for real mail)");
        }
        prepareDirectories(binder);
    }

    private static void prepareDirectories(Binder binder) {
        Path dataDir = binder.bind("todoke.data-dir", Path.class).orElse(Path.of("./data"));
        createOwnerOnly(dataDir);
        String url =
                binder.bind("spring.datasource.url", String.class).orElse("").trim();
        if (url.toLowerCase(Locale.ROOT).startsWith(H2_FILE)) {
            String file = url.substring(H2_FILE.length()).split(";", 2)[0];
            Path parent = file.startsWith("~") ? null : Path.of(file).getParent();
            if (parent != null) {
                createOwnerOnly(parent);
            }
        }
    }

    private static void createOwnerOnly(Path dir) {
        try {
            OwnerOnly.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + dir.toAbsolutePath(), e);
        }
    }
}
