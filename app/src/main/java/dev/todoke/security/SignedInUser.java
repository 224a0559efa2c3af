package dev.todoke.security;

import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who is signed in, for the features behind the console and the sender portal. The actor name for the
 * audit log is {@link Authentication#getName()}: the local account's user name, or the OIDC user's name
 * claim.
 */
public final class SignedInUser {

    private SignedInUser() {}

    /**
     * The e-mail address of a user signed in with the OIDC provider, when the provider says it is verified
     * ({@code email_verified} true): lower-cased, to compare with an envelope sender (which is compared
     * case-insensitively). Empty for the local admin account, an unverified or missing address, or no
     * sign-in.
     */
    public static Optional<String> verifiedEmail(Authentication authentication) {
        if (authentication == null
                || !authentication.isAuthenticated()
                || !(authentication.getPrincipal() instanceof OidcUser user)) {
            return Optional.empty();
        }
        String email = user.getEmail();
        if (email == null || email.isBlank() || !Boolean.TRUE.equals(user.getEmailVerified())) {
            return Optional.empty();
        }
        return Optional.of(email.strip().toLowerCase(Locale.ROOT));
    }

    /** True when the user holds the admin role (the local account, or an OIDC user with the role claim). */
    public static boolean isAdmin(Authentication authentication) {
        return authentication != null
                && authentication.isAuthenticated()
                && authentication.getAuthorities().stream()
                        .anyMatch(a -> ("ROLE_" + LocalAdminAccount.ADMIN).equals(a.getAuthority()));
    }
}
