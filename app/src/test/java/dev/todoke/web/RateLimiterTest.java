package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.jobs.JobLocks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The rate limit's buckets in the database, on H2 and on PostgreSQL, shared by several limiters. */
class RateLimiterTest {

    @RegisterExtension
    final Databases.SchemaPerTest postgres = new Databases.SchemaPerTest();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));

    @Test
    void tryAcquireWhenOverTheLimitThenFalseUntilRefilledOnH2() {
        overTheLimitThenFalseUntilRefilled(Databases.h2());
    }

    @Test
    void tryAcquireWhenOverTheLimitThenFalseUntilRefilledOnPostgres() {
        overTheLimitThenFalseUntilRefilled(postgres.dataSource());
    }

    @Test
    void tryAcquireWhenTwoReplicasShareTheDatabaseThenTheyShareTheBucket() {
        DataSource db = postgres.dataSource();
        RateLimiter a = new RateLimiter(JdbcClient.create(db), clock, 4);
        RateLimiter b = new RateLimiter(JdbcClient.create(db), clock, 4);

        assertThat(a.tryAcquire("192.0.2.1")).isTrue();
        assertThat(b.tryAcquire("192.0.2.1")).isTrue();
        assertThat(a.tryAcquire("192.0.2.1")).isTrue();
        assertThat(b.tryAcquire("192.0.2.1")).isTrue();
        assertThat(a.tryAcquire("192.0.2.1")).isFalse();
        assertThat(b.tryAcquire("192.0.2.1")).isFalse();
    }

    @Test
    void forgetIdleWhenBucketsIdleThenOnlyTheyAreDeleted() {
        JdbcClient jdbc = JdbcClient.create(Databases.h2());
        RateLimiter limiter = new RateLimiter(jdbc, clock, 3);
        limiter.tryAcquire("192.0.2.1");
        clock.advance(Duration.ofMinutes(3));
        limiter.tryAcquire("192.0.2.2");

        int deleted = limiter.forgetIdle(Duration.ofMinutes(2));

        assertThat(deleted).isEqualTo(1);
        assertThat(jdbc.sql("select bucket_key from rate_limit")
                        .query(String.class)
                        .list())
                .containsExactly("192.0.2.2");
    }

    @Test
    void filterWhenApiOverTheLimitThen429JsonAndPagesGetAPage() throws Exception {
        DataSource db = Databases.h2();
        RateLimitFilter filter = new RateLimitFilter(
                new WebProperties("", 1, ZoneId.of("UTC")), JdbcClient.create(db), JobLocks.on(db, clock), clock);

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

    @Test
    void filterWhenPathSpelledDifferentlyThenLimitedAlike() throws Exception {
        DataSource db = Databases.h2();
        RateLimitFilter filter = new RateLimitFilter(
                new WebProperties("", 1, ZoneId.of("UTC")), JdbcClient.create(db), JobLocks.on(db, clock), clock);

        assertThat(run(filter, "/api/v1/admin/tls/x").getStatus()).isEqualTo(200);
        for (String variant : new String[] {
            "/api;x/v1/admin/tls/x", "/%61pi/v1/admin/tls/x", "//api/v1/admin/tls/x", "/d;x/abc", "/%64/abc"
        }) {
            MockHttpServletResponse response = run(filter, variant);
            assertThat(response.getStatus()).as(variant).isEqualTo(429);
        }
    }

    @Test
    void limitersWhenPrefixesDifferThenOwnBucketsAndOwnCleanup() {
        JdbcClient jdbc = JdbcClient.create(Databases.h2());
        RateLimiter requests = new RateLimiter(jdbc, clock, "ip:", 1, Duration.ofMinutes(1));
        RateLimiter logins = new RateLimiter(jdbc, clock, "login:", 2, Duration.ofMinutes(10));

        assertThat(requests.tryAcquire("192.0.2.1")).isTrue();
        assertThat(requests.isEmpty("192.0.2.1")).isTrue();
        assertThat(logins.isEmpty("192.0.2.1")).isFalse();
        assertThat(logins.tryAcquire("192.0.2.1")).isTrue();
        assertThat(logins.tryAcquire("192.0.2.1")).isTrue();
        assertThat(logins.isEmpty("192.0.2.1")).isTrue();
        assertThat(logins.retryAfterSeconds()).isEqualTo(300);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(logins.isEmpty("192.0.2.1"))
                .as("one token back after 5 minutes")
                .isFalse();

        assertThat(requests.forgetIdle(Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(jdbc.sql("select bucket_key from rate_limit")
                        .query(String.class)
                        .list())
                .containsExactly("login:192.0.2.1");
    }

    private void overTheLimitThenFalseUntilRefilled(DataSource db) {
        RateLimiter limiter = new RateLimiter(JdbcClient.create(db), clock, 3);

        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isFalse();
        assertThat(limiter.tryAcquire("192.0.2.2")).isTrue();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isFalse();
    }

    private static MockHttpServletResponse run(RateLimitFilter filter, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setRemoteAddr("192.0.2.9");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
