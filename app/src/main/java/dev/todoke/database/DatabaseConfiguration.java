package dev.todoke.database;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link Durability} of the application's database: on an embedded H2 file database the data source
 * is wrapped ({@link DurableDataSource}); any other is used as it is, and the durability, having seen no H2
 * file, does nothing.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /** Wraps the application's H2 data source; created early, as every bean post-processor. */
    @Bean
    static DurableDataSources durableDataSources() {
        return new DurableDataSources();
    }

    @Bean
    Durability durability(DurableDataSources sources) {
        return sources.durability();
    }

    /** Finds the data source by its URL, before anything has connected. */
    static final class DurableDataSources implements BeanPostProcessor {
        private final H2Durability h2 = new H2Durability();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof HikariDataSource hikari && isH2File(hikari.getJdbcUrl())) {
                return new DurableDataSource(hikari, h2);
            }
            return bean;
        }

        Durability durability() {
            return h2;
        }

        static boolean isH2File(String url) {
            if (url == null) {
                return false;
            }
            String lower = url.toLowerCase(Locale.ROOT);
            return lower.startsWith("jdbc:h2:")
                    && !lower.startsWith("jdbc:h2:mem:")
                    && !lower.startsWith("jdbc:h2:tcp:")
                    && !lower.startsWith("jdbc:h2:ssl:");
        }
    }
}
