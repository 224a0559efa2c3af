package dev.todoke.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

class SignedInUserTest {

    private static OAuth2AuthenticationToken oidc(Map<String, Object> claims, String... roles) {
        Map<String, Object> all = new java.util.HashMap<>(claims);
        all.put("sub", "u1");
        OidcIdToken token = new OidcIdToken("t", Instant.now(), Instant.now().plusSeconds(60), all);
        List<GrantedAuthority> authorities = java.util.Arrays.stream(roles)
                .<GrantedAuthority>map(SimpleGrantedAuthority::new)
                .toList();
        return new OAuth2AuthenticationToken(new DefaultOidcUser(authorities, token), authorities, "todoke");
    }

    @Test
    void verifiedEmailWhenVerifiedThenLowerCasedElseEmpty() {
        assertThat(SignedInUser.verifiedEmail(oidc(Map.of("email", "Taro@Corp.Example", "email_verified", true))))
                .contains("taro@corp.example");
        assertThat(SignedInUser.verifiedEmail(oidc(Map.of("email", "taro@corp.example", "email_verified", "true"))))
                .contains("taro@corp.example");
        assertThat(SignedInUser.verifiedEmail(oidc(Map.of("email", "taro@corp.example", "email_verified", false))))
                .isEmpty();
        assertThat(SignedInUser.verifiedEmail(oidc(Map.of("email", "taro@corp.example"))))
                .isEmpty();
        assertThat(SignedInUser.verifiedEmail(UsernamePasswordAuthenticationToken.authenticated(
                        "admin", "", List.of(new SimpleGrantedAuthority("ROLE_ADMIN")))))
                .isEmpty();
        assertThat(SignedInUser.verifiedEmail(null)).isEmpty();
    }

    @Test
    void isAdminWhenRoleThenTrue() {
        assertThat(SignedInUser.isAdmin(oidc(Map.of(), "ROLE_ADMIN"))).isTrue();
        assertThat(SignedInUser.isAdmin(oidc(Map.of(), "ROLE_SSO"))).isFalse();
        assertThat(SignedInUser.isAdmin(null)).isFalse();
    }

    @Test
    void holdsWhenRoleClaimListStringOrArrayThenMatchesExactly() {
        assertThat(OidcRoles.holds(List.of("staff", "todoke-admin"), "todoke-admin"))
                .isTrue();
        assertThat(OidcRoles.holds("todoke-admin", "todoke-admin")).isTrue();
        assertThat(OidcRoles.holds(new String[] {"todoke-admin"}, "todoke-admin"))
                .isTrue();
        assertThat(OidcRoles.holds("todoke-admins", "todoke-admin")).isFalse();
        assertThat(OidcRoles.holds(List.of("TODOKE-ADMIN"), "todoke-admin")).isFalse();
        assertThat(OidcRoles.holds(null, "todoke-admin")).isFalse();
    }

    @Test
    void managerClaimWhenAddressOrObjectWithOneThenLowerCaseAddressElseNothing() {
        assertThat(OidcRoles.address(" Boss@Corp.Example ")).isEqualTo("boss@corp.example");
        assertThat(OidcRoles.address(java.util.Map.of("email", "Boss@corp.example", "name", "Boss")))
                .isEqualTo("boss@corp.example");
        assertThat(OidcRoles.address(java.util.Map.of("mail", "chief@corp.example")))
                .isEqualTo("chief@corp.example");
        assertThat(OidcRoles.address("CN=Boss,OU=Sales")).isNull();
        assertThat(OidcRoles.address("a@b@corp.example")).isNull();
        assertThat(OidcRoles.address("Boss <boss@corp.example>")).isNull();
        assertThat(OidcRoles.address("@corp.example")).isNull();
        assertThat(OidcRoles.address(List.of("boss@corp.example"))).isNull();
        assertThat(OidcRoles.address(null)).isNull();
    }

    @Test
    void recipientAuthenticationWhenSameLinkThenHolds() {
        UUID link = UUID.randomUUID();
        try {
            SecurityContextHolder.getContext().setAuthentication(new RecipientAuthentication(link));
            assertThat(RecipientAuthentication.holds(link)).isTrue();
            assertThat(RecipientAuthentication.holds(UUID.randomUUID())).isFalse();
        } finally {
            SecurityContextHolder.clearContext();
        }
        assertThat(RecipientAuthentication.holds(link)).isFalse();
    }
}
