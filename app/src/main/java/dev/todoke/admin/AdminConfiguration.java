package dev.todoke.admin;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts the admin API ({@code /api/v1/admin/*}) behind {@link AdminAuthFilter}. */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

    static final String ADMIN_API = "/api/v1/admin/*";

    @Bean
    FilterRegistrationBean<AdminAuthFilter> adminAuthFilter(AdminProperties properties) {
        FilterRegistrationBean<AdminAuthFilter> registration =
                new FilterRegistrationBean<>(new AdminAuthFilter(properties));
        registration.addUrlPatterns(ADMIN_API);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
