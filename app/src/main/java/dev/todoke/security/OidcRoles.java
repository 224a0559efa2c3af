package dev.todoke.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
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

    private final OidcUserService delegate = new OidcUserService();
    private final AdminSignInProperties.Oidc settings;

    OidcRoles(AdminSignInProperties.Oidc settings) {
        this.settings = settings;
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
        return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameAttribute);
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
