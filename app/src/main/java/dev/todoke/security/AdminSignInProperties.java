package dev.todoke.security;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How administrators sign in, under {@code todoke.admin.} (docs/configuration.md). The OIDC provider itself
 * is configured with Spring Boot's standard {@code spring.security.oauth2.client.*} properties, registration
 * id {@code todoke}.
 *
 * @param username the local admin account's user name
 * @param password the local account's password: {@code {bcrypt}...} (or another {@code {id}} of Spring
 *     Security's delegating password encoder), or plain text, which is hashed at start; without one there is
 *     no local account
 * @param localAccount false turns the local account off even when a password is set (OIDC only)
 * @param oidc which claim of an OIDC sign-in makes an administrator
 */
@Validated
@ConfigurationProperties("todoke.admin")
record AdminSignInProperties(
        @NotBlank @DefaultValue("admin") String username,
        String password,
        @DefaultValue("true") boolean localAccount,
        @DefaultValue Oidc oidc) {

    /**
     * @param roleClaim the claim (ID token or user info) that holds the user's groups or roles: a list or
     *     a single string
     * @param roleValue the value in that claim that makes the user an administrator
     * @param managerClaim the claim that holds the user's manager as a mail address (recorded at sign-in:
     *     the approver of their held mail when no rule names one; docs/hold-and-approval.md)
     */
    record Oidc(
            @NotBlank @DefaultValue("groups") String roleClaim,
            @NotBlank @DefaultValue("todoke-admin") String roleValue,
            @NotBlank @DefaultValue("manager") String managerClaim) {

        @ConstructorBinding
        Oidc {}

        Oidc(String roleClaim, String roleValue) {
            this(roleClaim, roleValue, "manager");
        }
    }

    /** True when the local account can sign in: a password is set and the account is not turned off. */
    boolean localAccountEnabled() {
        return localAccount && password != null && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "AdminSignInProperties[username=" + username + ", password="
                + (password == null || password.isEmpty() ? "(none)" : "(set)") + ", localAccount=" + localAccount
                + ", oidc=" + oidc + "]";
    }
}
