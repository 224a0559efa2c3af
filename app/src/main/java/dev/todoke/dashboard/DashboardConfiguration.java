package dev.todoke.dashboard;

import dev.todoke.tls.TlsChecker;
import dev.todoke.web.WebProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The dashboard's queries and report, in the pages' time zone ({@code todoke.web.zone}). */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    Dashboard dashboard(JdbcClient jdbc, ObjectProvider<TlsChecker> tls, Clock clock, WebProperties web) {
        return new Dashboard(new DashboardQueries(jdbc), tls, clock, web.zone());
    }
}
