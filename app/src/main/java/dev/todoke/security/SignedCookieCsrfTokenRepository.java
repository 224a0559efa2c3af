package dev.todoke.security;

import dev.todoke.web.ServerSecret;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * Spring Security's CSRF token repository for the recipient and sender pages, which have no server-side
 * session: a signed double submit (docs/adr/0080). The cookie {@value #COOKIE} (HttpOnly, SameSite=Strict)
 * holds a random value; the token the form must send back is the HMAC of that value under a key derived
 * from the server secret. A cross-site page can neither read the cookie nor compute the token, and every
 * replica with the same secret checks it alike.
 */
final class SignedCookieCsrfTokenRepository implements CsrfTokenRepository {

    static final String COOKIE = "todoke_csrf";
    static final String PARAMETER = "_csrf";
    static final String HEADER = "X-CSRF-TOKEN";

    private final ServerSecret secret;
    private final SecureRandom random;

    SignedCookieCsrfTokenRepository(ServerSecret secret, SecureRandom random) {
        this.secret = secret;
        this.random = random;
    }

    /** The token of a cookie value, carrying the value so that {@link #saveToken} can set the cookie. */
    record SignedToken(String cookieValue, String token) implements CsrfToken {
        private static final long serialVersionUID = 1L;

        @Override
        public String getToken() {
            return token;
        }

        @Override
        public String getHeaderName() {
            return HEADER;
        }

        @Override
        public String getParameterName() {
            return PARAMETER;
        }
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new SignedToken(value, sign(value));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        String value = token instanceof SignedToken signed ? signed.cookieValue() : "";
        ResponseCookie cookie = ResponseCookie.from(COOKIE, value)
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite("Strict")
                .path("/")
                .maxAge(value.isEmpty() ? 0 : -1)
                .build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())
                    && !c.getValue().isBlank()
                    && c.getValue().length() <= 64) {
                return new SignedToken(c.getValue(), sign(c.getValue()));
            }
        }
        return null;
    }

    private String sign(String value) {
        byte[] mac = secret.mac("csrf").doFinal(value.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
