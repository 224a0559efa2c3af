package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));

    @Test
    void tryAcquireWhenOverTheLimitThenFalseUntilRefilled() {
        RateLimiter limiter = new RateLimiter(clock, 3);

        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isFalse();
        assertThat(limiter.tryAcquire("192.0.2.2")).isTrue();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isFalse();
    }

    @Test
    void filterWhenApiOverTheLimitThen429JsonAndPagesGetAPage() throws Exception {
        RateLimitFilter filter = new RateLimitFilter(new WebProperties("", 1, ZoneId.of("UTC")), clock);

        MockHttpServletResponse first = run(filter, "/api/v1/d/abc");
        MockHttpServletResponse api = run(filter, "/api/v1/d/abc");
        MockHttpServletResponse page = run(filter, "/d/abc");
        MockHttpServletResponse health = run(filter, "/actuator/health");

        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(api.getStatus()).isEqualTo(429);
        assertThat(api.getContentAsString()).isEqualTo("{\"error\":\"rate-limited\"}");
        assertThat(api.getHeader("Retry-After")).isEqualTo("60");
        assertThat(page.getStatus()).isEqualTo(429);
        assertThat(page.getContentType()).startsWith("text/html");
        assertThat(health.getStatus()).isEqualTo(200);
    }

    private static MockHttpServletResponse run(RateLimitFilter filter, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setRemoteAddr("192.0.2.9");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
