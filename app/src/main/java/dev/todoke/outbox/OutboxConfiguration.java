package dev.todoke.outbox;

import dev.todoke.TodokeProperties;
import dev.todoke.relay.RelayHostCondition;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The dev outbox as next hop, active when {@code todoke.relay.host} is not set and only in dev mode: with
 * {@code todoke.mode=production} the bean does not exist (and the start is refused without a relay host).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RelayHostCondition.NoRelayHost.class)
@ConditionalOnProperty(name = "todoke.mode", havingValue = "dev", matchIfMissing = true)
class OutboxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutboxConfiguration.class);

    @Bean
    DevOutbox devOutbox(TodokeProperties todoke, Clock clock, SecureRandom random) {
        DevOutbox outbox = new DevOutbox(todoke.dataDir().resolve("outbox").toAbsolutePath(), clock, random);
        log.info(
                "Next hop: {}; no todoke.relay.host is set, so mail is kept here and shown at /outbox",
                outbox.describe());
        return outbox;
    }
}
