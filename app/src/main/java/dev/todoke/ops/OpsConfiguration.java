package dev.todoke.ops;

import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayHostCondition;
import dev.todoke.relay.RelayProperties;
import dev.todoke.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * What an operator watches beyond the features' own meters (docs/observability.md): the health
 * indicators {@code blobStore} and {@code nextHop} of the readiness group (bean names end in {@code
 * HealthIndicator}, which Boot strips), and the relay timer, added by
 * wrapping the SMTP next hop in a {@link MeteredNextHop}. With the dev outbox as next hop there is no
 * relay and {@code nextHop} is always up.
 */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    @Bean
    HealthIndicator blobStoreHealthIndicator(BlobStore store) {
        return new BlobStoreHealth(store);
    }

    @Bean
    HealthIndicator nextHopHealthIndicator(RelayProperties relay, Clock clock) {
        if (!relay.hasHost()) {
            return () -> Health.up().withDetail("nextHop", "dev outbox").build();
        }
        return new NextHopHealth(relay.host(), relay.port(), Duration.ofSeconds(2), Duration.ofSeconds(5), clock);
    }

    /** Wraps the SMTP next hop (not the dev outbox, which is no relay) in a {@link MeteredNextHop}. */
    @Bean
    @Conditional(RelayHostCondition.class)
    static BeanPostProcessor meteredNextHop(ObjectProvider<MeterRegistry> registry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof NextHop hop && !(bean instanceof MeteredNextHop)
                        ? new MeteredNextHop(hop, registry.getObject())
                        : bean;
            }
        };
    }
}
