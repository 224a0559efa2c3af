package dev.todoke.admin;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Credentials of the admin API ({@code /api/v1/admin/**}), HTTP Basic, under {@code todoke.admin.}.
 *
 * @param username the admin user name
 * @param password the admin password; without one the admin API is off (answers 503)
 */
@Validated
@ConfigurationProperties("todoke.admin")
record AdminProperties(@NotBlank @DefaultValue("admin") String username, String password) {

    boolean enabled() {
        return password != null && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "AdminProperties[username=" + username + ", password=" + (enabled() ? "(set)" : "(none)") + "]";
    }
}
