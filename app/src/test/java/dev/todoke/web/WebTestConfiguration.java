package dev.todoke.web;

import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** For SpringBootTests of the web parts: a clock tests can move. */
@TestConfiguration(proxyBeanMethods = false)
public class WebTestConfiguration {

    public static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    @Bean
    @Primary
    public MutableClock mutableClock() {
        return new MutableClock(START);
    }
}
