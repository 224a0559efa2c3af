package dev.todoke.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class LocalAdminAccountTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static AdminSignInProperties properties(String user, String password) {
        return new AdminSignInProperties(
                user, password, true, new AdminSignInProperties.Oidc("groups", "todoke-admin"));
    }

    @Test
    void encodedWhenPlainTextThenBcryptHashNeverTheText() {
        String encoded = LocalAdminAccount.encoded("パスワード s3cret", encoder);

        assertThat(encoded).startsWith("{bcrypt}$2").doesNotContain("s3cret");
        assertThat(encoder.matches("パスワード s3cret", encoded)).isTrue();
        assertThat(encoder.matches("パスワード s3creT", encoded)).isFalse();
    }

    @Test
    void encodedWhenIdPrefixThenTakenAsGiven() {
        String bcrypt = "{bcrypt}" + new BCryptPasswordEncoder().encode("from-htpasswd");

        assertThat(LocalAdminAccount.encoded(bcrypt, encoder)).isEqualTo(bcrypt);
        assertThat(encoder.matches("from-htpasswd", LocalAdminAccount.encoded(bcrypt, encoder)))
                .isTrue();
    }

    @Test
    void loadWhenExactNameThenAdminWithAFreshCopyElseNotFound() {
        LocalAdminAccount account = new LocalAdminAccount(properties("admin", "s3cret"), encoder);

        var first = account.loadUserByUsername("admin");
        assertThat(first.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
        assertThat(account.loadUserByUsername("admin")).isNotSameAs(first);
        assertThatThrownBy(() -> account.loadUserByUsername("Admin")).isInstanceOf(UsernameNotFoundException.class);
        assertThatThrownBy(() -> account.loadUserByUsername("root")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void propertiesWhenPasswordOrSwitchThenLocalAccountOnOrOff() {
        assertThat(properties("admin", "x").localAccountEnabled()).isTrue();
        assertThat(properties("admin", null).localAccountEnabled()).isFalse();
        assertThat(properties("admin", "").localAccountEnabled()).isFalse();
        assertThat(new AdminSignInProperties("admin", "x", false, new AdminSignInProperties.Oidc("g", "v"))
                        .localAccountEnabled())
                .isFalse();
        assertThat(properties("admin", "s3cret").toString()).doesNotContain("s3cret");
    }
}
