package dev.todoke.web;

import dev.todoke.jobs.JobLock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-IP rate limit on the recipient and sender pages and the JSON API ({@code /d/}, {@code /s/},
 * {@code /api/}, decided on the {@link CanonicalPath}). Over the limit: 429 with {@code Retry-After}, JSON {@code {"error":"rate-limited"}} on
 * the API, a short page elsewhere. The buckets are shared by every replica on the database ({@link
 * RateLimiter}); every five minutes one replica deletes the idle ones.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimiter limiter;
    private final JobLock locks;

    RateLimitFilter(WebProperties properties, JdbcClient jdbc, JobLock locks, Clock clock) {
        this.limiter = new RateLimiter(jdbc, clock, "ip:", properties.rateLimitPerMinute(), Duration.ofMinutes(1));
        this.locks = locks;
    }

    /** Deletes buckets idle for two minutes (full again by then); on one replica per period. */
    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT5M")
    void forgetIdleBuckets() {
        try {
            if (locks.tryAcquire("rate-limit-cleanup", Duration.ofMinutes(4))) {
                limiter.forgetIdle(Duration.ofMinutes(2));
            }
        } catch (DataAccessException e) {
            log.warn("Rate limit cleanup failed, will retry: {}", e.getClass().getSimpleName());
        }
    }

    /** Decided on the canonical path: {@code /api;x/...}, {@code /%61pi/...} or {@code //api/...} count too. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = CanonicalPath.of(request);
        return !(path.startsWith("/d/") || path.startsWith("/s/") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (limiter.tryAcquire(ClientIp.of(request))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(429);
        response.setHeader("Retry-After", "60");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (CanonicalPath.of(request).startsWith("/api/")) {
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"rate-limited\"}");
        } else {
            response.setContentType("text/html");
            response.getWriter()
                    .write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>429</title></head><body>"
                            + "<p>アクセスが多すぎます。1分ほど待ってからもう一度お試しください。</p>"
                            + "<p>Too many requests. Please wait a minute and try again.</p></body></html>");
        }
    }
}
