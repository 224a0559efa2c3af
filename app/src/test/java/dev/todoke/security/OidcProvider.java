package dev.todoke.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real OIDC provider in-process (mock-oauth2-server on its Netty server, issuer {@code todoke}), with
 * the properties that point the application at it, and the claims of the next sign-in.
 */
final class OidcProvider {

    static final String CLIENT_ID = "todoke-client";

    private final MockOAuth2Server server;

    OidcProvider() {
        server = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(), new NettyWrapper()));
        server.start();
    }

    String issuer() {
        return server.issuerUrl("todoke").toString();
    }

    void register(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "spring.security.oauth2.client.registration.todoke.";
        p.put(prefix + "client-id", CLIENT_ID);
        p.put(prefix + "client-secret", "client-secret");
        p.put(prefix + "scope", "openid,email,profile");
        p.put("spring.security.oauth2.client.provider.todoke.issuer-uri", issuer());
        return p;
    }

    /** The next sign-in (authorization code exchange) is this user with these claims. */
    void nextSignIn(String subject, Map<String, Object> claims) {
        server.enqueueCallback(
                new DefaultOAuth2TokenCallback("todoke", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
    }

    void stop() {
        server.shutdown();
    }
}
