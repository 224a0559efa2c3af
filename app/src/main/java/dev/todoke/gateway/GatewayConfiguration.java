package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.mime.MimeParser;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's parser and its default recipient policy. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    MimeParser gatewayMimeParser(MimeProperties properties) {
        return new MimeParser(properties.limits());
    }

    /** Internal domains pass through, everyone else gets links; a {@code @Primary} policy bean replaces it. */
    @Bean
    RecipientPolicy internalDomainsPolicy(TodokeProperties properties) {
        return RecipientPolicy.byInternalDomains(properties);
    }
}
