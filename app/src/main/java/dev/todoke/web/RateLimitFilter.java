package dev.todoke.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-IP rate limit on the recipient and sender pages and the JSON API ({@code /d/}, {@code /s/},
 * {@code /api/}). Over the limit: 429 with {@code Retry-After}, JSON {@code {"error":"rate-limited"}} on
 * the API, a short page elsewhere.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;

    RateLimitFilter(WebProperties properties, Clock clock) {
        this.limiter = new RateLimiter(clock, properties.rateLimitPerMinute());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
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
        if (request.getRequestURI().startsWith("/api/")) {
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
