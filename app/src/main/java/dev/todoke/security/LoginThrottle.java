package dev.todoke.security;

import dev.todoke.jobs.JobLock;
import dev.todoke.web.ClientIp;
import dev.todoke.web.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits admin sign-in failures per client IP (form and HTTP Basic alike): each failure takes a token from
 * the IP's bucket in the shared {@link RateLimiter} (10 in 10 minutes), and while the bucket is empty every
 * sign-in attempt from that IP answers 429 with {@code Retry-After}, before the password is even checked.
 * The failure count is kept where the password is checked ({@link #counting}), so no path spelling escapes
 * it; the gate ({@link #filter}) sits in the console's security chain, which matches every spelling of
 * its paths that the firewall lets through.
 */
final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final RateLimiter failures;
    private final JobLock locks;

    LoginThrottle(RateLimiter failures, JobLock locks) {
        this.failures = failures;
        this.locks = locks;
    }

    /**
     * The password check of the local account ({@code null}: there is none, every attempt fails), counting
     * each failure against the client's IP.
     */
    AuthenticationProvider counting(UserDetailsService account) {
        AuthenticationProvider check;
        if (account == null) {
            check = new AuthenticationProvider() {
                @Override
                public Authentication authenticate(Authentication authentication) {
                    throw new BadCredentialsException("no local admin account");
                }

                @Override
                public boolean supports(Class<?> type) {
                    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
                }
            };
        } else {
            DaoAuthenticationProvider dao = new DaoAuthenticationProvider(account);
            dao.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
            check = dao;
        }
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                try {
                    return check.authenticate(authentication);
                } catch (AuthenticationException e) {
                    String ip = ip(authentication);
                    if (ip != null) {
                        failures.tryAcquire(ip);
                        log.info("admin sign-in failed from {}", ip);
                    }
                    throw e;
                }
            }

            @Override
            public boolean supports(Class<?> type) {
                return check.supports(type);
            }
        };
    }

    /** Deletes buckets idle for 20 minutes (full again by then); on one replica per period. */
    @Scheduled(initialDelayString = "PT10M", fixedDelayString = "PT10M")
    void forgetIdleBuckets() {
        try {
            if (locks.tryAcquire("login-limit-cleanup", Duration.ofMinutes(9))) {
                failures.forgetIdle(Duration.ofMinutes(20));
            }
        } catch (DataAccessException e) {
            log.warn(
                    "Sign-in limit cleanup failed, will retry: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * True for an HTTP Basic call that no browser page sent cross-site ({@code Sec-Fetch-Site} absent, as
     * from scripts, or same-origin/none): such calls need no CSRF token. A browser that remembered Basic
     * credentials still cannot be made to call the admin API from another site.
     */
    static boolean isBasicFromScript(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    private static String ip(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress()
                : null;
    }

    /** The gate: 429 for a sign-in attempt (form POST or Basic header) while the client's bucket is empty. */
    OncePerRequestFilter filter(RequestMatcher formLogin) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (isAttempt(request, formLogin) && failures.isEmpty(ClientIp.of(request))) {
                    refuse(request, response);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static boolean isAttempt(HttpServletRequest request, RequestMatcher formLogin) {
        String authorization = request.getHeader("Authorization");
        return (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6))
                || formLogin.matches(request);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(failures.retryAfterSeconds()));
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (JsonErrors.isApi(request)) {
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"rate-limited\"}");
        } else {
            response.setContentType("text/html");
            response.getWriter()
                    .write(
                            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>429</title></head><body>"
                                    + "<p>サインインの失敗が多すぎます。しばらく待ってからもう一度お試しください。</p>"
                                    + "<p>Too many failed sign-ins. Please wait a few minutes and try again.</p></body></html>");
        }
    }
}
