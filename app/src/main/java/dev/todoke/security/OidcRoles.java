package dev.todoke.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Loads an OIDC user as Spring does and adds Todoke's roles: {@code ROLE_SSO} for everyone signed in with
 * the provider (the sender portal {@code /my}), and {@code ROLE_ADMIN} when the claim {@code
 * todoke.admin.oidc.role-claim} holds {@code todoke.admin.oidc.role-value}, as a list of strings or as one
 * string. The user's name ({@code Authentication.getName()}, the actor in the audit log) is the claim named
 * by the provider's {@code user-name-attribute}, {@code sub} by default.
 */
final class OidcRoles implements OAuth2UserService<OidcUserRequest, OidcUser> {

    static final String SSO = "SSO";

    private static final Logger log = LoggerFactory.getLogger(OidcRoles.class);

    private final OidcUserService delegate = new OidcUserService();
    private final AdminSignInProperties.Oidc settings;
    private final BiConsumer<String, List<String>> groups;

    /**
     * @param groups told a signed-in user's verified address (lower case) and the groups in the role claim
     *     at every sign-in, so that policies naming a group apply to their mail (the policy store)
     */
    OidcRoles(AdminSignInProperties.Oidc settings, BiConsumer<String, List<String>> groups) {
        this.settings = settings;
        this.groups = groups;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Set<GrantedAuthority> authorities = new LinkedHashSet<>(user.getAuthorities());
        authorities.add(new SimpleGrantedAuthority("ROLE_" + SSO));
        if (holds(user.getClaims().get(settings.roleClaim()), settings.roleValue())) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + LocalAdminAccount.ADMIN));
        }
        String nameAttribute = request.getClientRegistration()
                .getProviderDetails()
                .getUserInfoEndpoint()
                .getUserNameAttributeName();
        if (nameAttribute == null
                || nameAttribute.isBlank()
                || !user.getClaims().containsKey(nameAttribute)) {
            nameAttribute = "sub";
        }
        rememberGroups(user);
        return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameAttribute);
    }

    private void rememberGroups(OidcUser user) {
        Object verified = user.getClaims().get("email_verified");
        String email = user.getEmail();
        if (email == null || !(Boolean.TRUE.equals(verified) || "true".equals(verified))) {
            return;
        }
        try {
            groups.accept(
                    email.toLowerCase(Locale.ROOT), strings(user.getClaims().get(settings.roleClaim())));
        } catch (RuntimeException e) {
            // the sign-in itself must not fail because the groups could not be recorded
            log.warn("Could not record the groups of a signed-in sender: {}", e.toString());
        }
    }

    /** The claim as strings: one string, or the strings of a collection or array; empty otherwise. */
    static List<String> strings(Object claim) {
        if (claim instanceof String single) {
            return List.of(single);
        }
        if (claim instanceof Collection<?> many) {
            return many.stream()
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        }
        if (claim instanceof Object[] array) {
            return Arrays.stream(array)
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        }
        return List.of();
    }

    /** True when the claim is the value, or a collection or array holding it. */
    static boolean holds(Object claim, String value) {
        if (claim instanceof String single) {
            return single.equals(value);
        }
        if (claim instanceof Collection<?> many) {
            return many.stream().anyMatch(value::equals);
        }
        if (claim instanceof Object[] array) {
            for (Object o : array) {
                if (value.equals(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
