package dev.todoke.startup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the {@link StartupGuard} (a static bean method: it runs before the other beans exist). */
@Configuration(proxyBeanMethods = false)
class StartupConfiguration {

    @Bean
    static StartupGuard startupGuard() {
        return new StartupGuard();
    }
}
