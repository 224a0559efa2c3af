package dev.todoke.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.jobs.JobLocks;
import dev.todoke.web.Databases;
import dev.todoke.web.MutableClock;
import dev.todoke.web.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Failed admin sign-ins counted per client IP where the password is checked, and the gate in front. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final DataSource db = Databases.h2();
    private final LoginThrottle throttle = new LoginThrottle(
            new RateLimiter(JdbcClient.create(db), clock, "login:", 10, Duration.ofMinutes(10)),
            JobLocks.on(db, clock));

    private static UsernamePasswordAuthenticationToken attempt(String user, String password, String ip) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(ip);
        token.setDetails(new WebAuthenticationDetails(request));
        return token;
    }

    private MockHttpServletResponse gate(String ip, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/admin/tls/x");
        request.setRemoteAddr(ip);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        throttle.filter(r -> false).doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void countingWhenTenFailuresThenGateRefusesThatIpOnlyUntilRefilled() throws Exception {
        AuthenticationProvider provider = throttle.counting(new LocalAdminAccount(
                new AdminSignInProperties("admin", "s3cret", true, new AdminSignInProperties.Oidc("groups", "x")),
                PasswordEncoderFactories.createDelegatingPasswordEncoder()));

        assertThat(provider.authenticate(attempt("admin", "s3cret", "192.0.2.1"))
                        .isAuthenticated())
                .isTrue();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> provider.authenticate(attempt("admin", "wrong", "192.0.2.1")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        MockHttpServletResponse refused = gate("192.0.2.1", "Basic YWRtaW46czNjcmV0");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("60");
        assertThat(refused.getContentAsString()).isEqualTo("{\"error\":\"rate-limited\"}");
        assertThat(gate("192.0.2.2", "Basic YWRtaW46czNjcmV0").getStatus()).isEqualTo(200);
        assertThat(gate("192.0.2.1", null).getStatus())
                .as("not a sign-in attempt")
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(gate("192.0.2.1", "Basic YWRtaW46czNjcmV0").getStatus()).isEqualTo(200);
    }

    @Test
    void countingWhenNoLocalAccountThenEveryPasswordFailsAndCounts() throws Exception {
        AuthenticationProvider provider = throttle.counting(null);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> provider.authenticate(attempt("admin", "anything", "192.0.2.3")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThat(gate("192.0.2.3", "Basic YWRtaW46czNjcmV0").getStatus()).isEqualTo(429);
    }

    @Test
    void isBasicFromScriptWhenNoFetchMetadataOrSameOriginThenTrueCrossSiteFalse() {
        MockHttpServletRequest script = new MockHttpServletRequest();
        script.addHeader("Authorization", "Basic YWRtaW46czNjcmV0");
        MockHttpServletRequest crossSite = new MockHttpServletRequest();
        crossSite.addHeader("Authorization", "basic YWRtaW46czNjcmV0");
        crossSite.addHeader("Sec-Fetch-Site", "cross-site");
        MockHttpServletRequest sameOrigin = new MockHttpServletRequest();
        sameOrigin.addHeader("Authorization", "Basic YWRtaW46czNjcmV0");
        sameOrigin.addHeader("Sec-Fetch-Site", "same-origin");

        assertThat(LoginThrottle.isBasicFromScript(script)).isTrue();
        assertThat(LoginThrottle.isBasicFromScript(sameOrigin)).isTrue();
        assertThat(LoginThrottle.isBasicFromScript(crossSite)).isFalse();
        assertThat(LoginThrottle.isBasicFromScript(new MockHttpServletRequest()))
                .isFalse();
    }
}
