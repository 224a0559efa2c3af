package dev.todoke.security;

import dev.todoke.jobs.JobLock;
import dev.todoke.policy.PolicyStore;
import dev.todoke.web.RateLimiter;
import dev.todoke.web.ServerSecret;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.authentication.logout.SimpleUrlLogoutSuccessHandler;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CrossOriginOpenerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.CrossOriginResourcePolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security under every web path (docs/adr/0080), as three chains, matched in order:
 *
 * <ol>
 *   <li><b>links</b> ({@code /d/**}, {@code /s/**}, {@code /a/**} and their {@code /api/v1/} twins): open to
 *       all (the token in the path is the credential, checked by the features); a recipient session
 *       becomes a {@link RecipientAuthentication}; no servlet session; CSRF by a signed cookie on the
 *       pages' forms, none on the JSON API.
 *   <li><b>console</b> ({@code /admin/**}, {@code /api/v1/admin/**}, {@code /my/**} and the sign-in
 *       endpoints): the admin role for {@code /admin} and the admin API, an OIDC sign-in for {@code /my};
 *       form sign-in and HTTP Basic for the local account, OIDC ({@code /oauth2/authorization/todoke})
 *       when configured; sessions in the database (Spring Session JDBC); CSRF token in the session,
 *       except on HTTP Basic calls; sign-in failures limited per client IP.
 *   <li><b>everything else</b> (static files, the dev outbox, errors, health): open, headers only.
 * </ol>
 *
 * Every chain writes the security headers: CSP, HSTS on https, frame denial, nosniff, no referrer,
 * Permissions-Policy, no-store. The console's CSP also allows the application's own scripts.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The console session cookie (server.servlet.session.cookie.name in application.yml). */
    private static final String SESSION_COOKIE = "todoke_console";

    static final String LINK_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'";
    static final String PERMISSIONS_POLICY =
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

    static final String LOGIN_PAGE = "/admin/login";

    @Bean
    LoginThrottle loginThrottle(JdbcClient jdbc, Clock clock, JobLock locks) {
        return new LoginThrottle(new RateLimiter(jdbc, clock, "login:", 10, Duration.ofMinutes(10)), locks);
    }

    /** The local account's password check, counting failures; always present so Boot adds no default user. */
    @Bean
    AuthenticationProvider localAdminAccount(AdminSignInProperties properties, LoginThrottle throttle) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return throttle.counting(properties.localAccountEnabled() ? new LocalAdminAccount(properties, encoder) : null);
    }

    @Bean
    SignedCookieCsrfTokenRepository signedCookieCsrfTokenRepository(ServerSecret secret, SecureRandom random) {
        return new SignedCookieCsrfTokenRepository(secret, random);
    }

    /** A path the firewall refuses (encoded slash, {@code ;}, {@code //}, ...) answers 400, not 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler();
    }

    @Bean
    @Order(1)
    SecurityFilterChain linkChain(
            HttpSecurity http, RecipientSessionLookup sessions, SignedCookieCsrfTokenRepository csrf) throws Exception {
        http.securityMatcher("/d/**", "/s/**", "/a/**", "/api/v1/d/**", "/api/v1/s/**", "/api/v1/a/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .addFilterAfter(new RecipientSessionFilter(sessions), SecurityContextHolderFilter.class)
                .csrf(c -> c.csrfTokenRepository(csrf)
                        .ignoringRequestMatchers("/api/v1/d/**", "/api/v1/s/**", "/api/v1/a/**"));
        return stateless(http, LINK_CSP).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleChain(
            HttpSecurity http,
            AdminSignInProperties properties,
            ObjectProvider<ClientRegistrationRepository> registrations,
            ObjectProvider<PolicyStore> policies,
            LoginThrottle throttle)
            throws Exception {
        boolean oidc = registrations.getIfAvailable() != null;
        boolean canSignIn = oidc || properties.localAccountEnabled();
        RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
        RequestMatcher portal = PathPatternRequestMatcher.withDefaults().matcher("/my/**");
        RequestMatcher formLogin = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, LOGIN_PAGE);
        http.securityMatcher("/admin/**", "/api/v1/admin/**", "/my/**", "/oauth2/**", "/login/oauth2/**", "/logout")
                .authorizeHttpRequests(a -> a.requestMatchers(LOGIN_PAGE)
                        .permitAll()
                        .requestMatchers("/oauth2/**", "/login/oauth2/**")
                        .permitAll()
                        .requestMatchers("/admin/**", "/api/v1/admin/**")
                        .hasRole(LocalAdminAccount.ADMIN)
                        .requestMatchers("/my/**")
                        .hasRole(OidcRoles.SSO)
                        .anyRequest()
                        .authenticated())
                .formLogin(f -> f.loginPage(LOGIN_PAGE)
                        .loginProcessingUrl(LOGIN_PAGE)
                        .successHandler(new LandingPage())
                        .failureUrl(LOGIN_PAGE + "?error"))
                .httpBasic(b -> b.realmName("Todoke admin").authenticationEntryPoint(JsonErrors.adminApi(canSignIn)))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessHandler(afterLogout(registrations.getIfAvailable())))
                .csrf(c -> c.csrfTokenRepository(new HttpSessionCsrfTokenRepository())
                        .ignoringRequestMatchers(
                                LoginThrottle::isBasicFromScript,
                                request -> api.matches(request) && withoutCredentials(request)))
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(JsonErrors.adminApi(canSignIn), api)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(
                                        oidc ? "/oauth2/authorization/" + OidcSignIn.REGISTRATION : LOGIN_PAGE),
                                portal)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE), AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(JsonErrors.denied()))
                .requestCache(r -> r.requestCache(pagesOnly()))
                .addFilterBefore(throttle.filter(formLogin), UsernamePasswordAuthenticationFilter.class);
        if (oidc) {
            http.oauth2Login(o -> o.loginPage(LOGIN_PAGE)
                    .userInfoEndpoint(u -> u.oidcUserService(new OidcRoles(
                            properties.oidc(),
                            (email, groups, manager) ->
                                    policies.ifAvailable(p -> p.rememberSignIn(email, groups, manager)))))
                    .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
                    .successHandler(new LandingPage())
                    .failureUrl(LOGIN_PAGE + "?error"));
        }
        headers(http, CONSOLE_CSP);
        return http.build();
    }

    /**
     * Where a signed-out user goes: back to the sign-in page; an SSO user first through the identity
     * provider's end-session endpoint (OIDC RP-initiated logout, when the provider announces one), so
     * that the next "sign in with SSO" asks again instead of signing the same user straight back in.
     */
    private static LogoutSuccessHandler afterLogout(ClientRegistrationRepository registrations) {
        String signedOut = LOGIN_PAGE + "?logout";
        if (registrations == null) {
            SimpleUrlLogoutSuccessHandler local = new SimpleUrlLogoutSuccessHandler();
            local.setDefaultTargetUrl(signedOut);
            return local;
        }
        OidcClientInitiatedLogoutSuccessHandler sso = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        sso.setPostLogoutRedirectUri("{baseUrl}" + signedOut);
        sso.setDefaultTargetUrl(signedOut);
        return sso;
    }

    /**
     * An API call that carries neither an Authorization header nor a console session cookie has nothing a
     * forged request could ride on: it gets the 401 of the missing sign-in, not a 403 for CSRF.
     */
    private static boolean withoutCredentials(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        Cookie[] cookies = request.getCookies();
        return cookies == null || Arrays.stream(cookies).noneMatch(c -> SESSION_COOKIE.equals(c.getName()));
    }

    @Bean
    @Order(3)
    SecurityFilterChain otherChain(HttpSecurity http, SignedCookieCsrfTokenRepository csrf) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.csrfTokenRepository(csrf));
        return stateless(http, LINK_CSP).build();
    }

    private static HttpSecurity stateless(HttpSecurity http, String csp) throws Exception {
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(r -> r.disable())
                .exceptionHandling(e -> e.accessDeniedHandler(JsonErrors.denied()));
        headers(http, csp);
        return http;
    }

    /**
     * Written before the request is handled (as the old filter did), so that every answer has them, even
     * one committed by streaming; a controller may still override one (an API answer's Cache-Control).
     */
    private static void headers(HttpSecurity http, String csp) throws Exception {
        http.headers(h -> h.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
            @Override
            public <O extends HeaderWriterFilter> O postProcess(O filter) {
                filter.setShouldWriteHeadersEagerly(true);
                return filter;
            }
        }));
        http.headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(csp))
                .frameOptions(f -> f.deny())
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .httpStrictTransportSecurity(s -> s.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                .crossOriginOpenerPolicy(
                        c -> c.policy(CrossOriginOpenerPolicyHeaderWriter.CrossOriginOpenerPolicy.SAME_ORIGIN))
                .crossOriginResourcePolicy(
                        c -> c.policy(CrossOriginResourcePolicyHeaderWriter.CrossOriginResourcePolicy.SAME_ORIGIN))
                .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy", PERMISSIONS_POLICY))
                .cacheControl(c -> c.disable())
                .addHeaderWriter(new StaticHeadersWriter("Cache-Control", "no-store"))
                .addHeaderWriter(new StaticHeadersWriter("Pragma", "no-cache")));
    }

    /** Remembers only page requests (GET /admin/**, /my/**) to return to after sign-in; never API calls. */
    private static HttpSessionRequestCache pagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher admin = paths.matcher(HttpMethod.GET, "/admin/**");
        RequestMatcher my = paths.matcher(HttpMethod.GET, "/my/**");
        cache.setRequestMatcher(request -> admin.matches(request) || my.matches(request));
        return cache;
    }
}
