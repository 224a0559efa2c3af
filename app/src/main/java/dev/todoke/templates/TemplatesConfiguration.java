package dev.todoke.templates;

import dev.todoke.TodokeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The template store and the renderer every feature that writes mail uses. */
@Configuration(proxyBeanMethods = false)
class TemplatesConfiguration {

    @Bean
    TemplateStore templateStore(JdbcClient jdbc) {
        return new TemplateStore(jdbc);
    }

    @Bean
    MailTemplates mailTemplates(TemplateStore store, TodokeProperties todoke, TemplatesProperties properties) {
        return new MailTemplates(store::snapshot, todoke.publicUrl().toString(), properties.refreshInterval());
    }
}
