package dev.todoke.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * by the provider's {@code user-name-attribute}, {@code sub} by default. At every sign-in with a verified
 * {@code email}, the user's groups (the role claim) and manager (the claim {@code
 * todoke.admin.oidc.manager-claim}, a mail address) are recorded for the mail path.
 */
final class OidcRoles implements OAuth2UserService<OidcUserRequest, OidcUser> {

    static final String SSO = "SSO";

    private static final Logger log = LoggerFactory.getLogger(OidcRoles.class);

    private final OidcUserService delegate = new OidcUserService();
    private final AdminSignInProperties.Oidc settings;
    private final SignIns signIns;

    /** Where a sign-in's groups and manager go (the policy store). */
    @FunctionalInterface
    interface SignIns {
        /**
         * @param email the verified address, lower case
         * @param groups the strings of the role claim
         * @param manager the manager's address, lower case; null when the claim holds none
         */
        void signedIn(String email, List<String> groups, String manager);
    }

    /**
     * @param signIns told a signed-in user's verified address, groups and manager at every sign-in, so that
     *     policies naming a group apply to their mail and their manager can approve it
     */
    OidcRoles(AdminSignInProperties.Oidc settings, SignIns signIns) {
        this.settings = settings;
        this.signIns = signIns;
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
        remember(user);
        return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameAttribute);
    }

    private void remember(OidcUser user) {
        Object verified = user.getClaims().get("email_verified");
        String email = user.getEmail();
        if (email == null || !(Boolean.TRUE.equals(verified) || "true".equals(verified))) {
            return;
        }
        try {
            signIns.signedIn(
                    email.toLowerCase(Locale.ROOT),
                    strings(user.getClaims().get(settings.roleClaim())),
                    address(user.getClaims().get(settings.managerClaim())));
        } catch (RuntimeException e) {
            // the sign-in itself must not fail because the groups could not be recorded
            log.warn("Could not record the groups and manager of a signed-in sender: {}", e.toString());
        }
    }

    /**
     * The claim as a mail address in lower case: a string, or an object with {@code email} or {@code mail}
     * (as some directories give the manager); null when it holds no plausible address.
     */
    static String address(Object claim) {
        Object value = claim;
        if (claim instanceof Map<?, ?> object) {
            value = object.get("email") != null ? object.get("email") : object.get("mail");
        }
        if (!(value instanceof String text)) {
            return null;
        }
        String a = text.strip().toLowerCase(Locale.ROOT);
        int at = a.indexOf('@');
        boolean plausible = at > 0
                && at == a.lastIndexOf('@')
                && at < a.length() - 1
                && a.length() <= 512
                && a.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',');
        return plausible ? a : null;
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
