package dev.todoke.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The one local admin account ({@code todoke.admin.username} / {@code .password}), for the form sign-in
 * of the console and HTTP Basic on the admin API. A password given as {@code {id}...} is taken as
 * encoded for the delegating password encoder; any other value is plain text, hashed with bcrypt once
 * here so that it is never compared in clear. The user name must match exactly (case-sensitive), unlike
 * Spring's in-memory user store. Returns a fresh {@link UserDetails} each time: the provider erases the
 * credentials of the one it is given.
 */
final class LocalAdminAccount implements UserDetailsService {

    static final String ADMIN = "ADMIN";
    private static final Pattern ENCODED = Pattern.compile("^\\{[A-Za-z0-9_.-]+}.*", Pattern.DOTALL);

    private final byte[] username;
    private final String name;
    private final String encodedPassword;

    LocalAdminAccount(AdminSignInProperties properties, PasswordEncoder encoder) {
        this.name = properties.username();
        this.username = name.getBytes(StandardCharsets.UTF_8);
        this.encodedPassword = encoded(properties.password(), encoder);
    }

    /** {@code {id}...} as given; anything else is plain text, encoded now with the encoder's default. */
    static String encoded(String password, PasswordEncoder encoder) {
        return ENCODED.matcher(password).matches() ? password : encoder.encode(password);
    }

    @Override
    public UserDetails loadUserByUsername(String candidate) {
        if (!MessageDigest.isEqual(username, candidate.getBytes(StandardCharsets.UTF_8))) {
            throw new UsernameNotFoundException("unknown user");
        }
        return new User(name, encodedPassword, List.of(new SimpleGrantedAuthority("ROLE_" + ADMIN)));
    }
}
