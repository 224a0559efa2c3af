package dev.todoke.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The SMTP next hop, active when {@code todoke.relay.host} is set. */
@Configuration(proxyBeanMethods = false)
@Conditional(RelayHostCondition.class)
class RelayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RelayConfiguration.class);

    @Bean
    NextHop smtpNextHop(RelayProperties properties) {
        SmtpNextHop nextHop = new SmtpNextHop(properties);
        log.info(
                "Next hop: {} (STARTTLS {}, certificate {}{})",
                nextHop.describe(),
                properties.starttls(),
                properties.verifiesCertificate() ? "and host name checked" : "not checked",
                properties.username().isEmpty() ? "" : ", AUTH");
        return nextHop;
    }
}
