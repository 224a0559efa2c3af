package dev.todoke.web;

import dev.todoke.common.DomainException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * CSRF protection for the HTML forms, as a signed double submit: a random cookie ({@value #COOKIE},
 * HttpOnly, SameSite=Strict) and a hidden form field {@value #FIELD} holding the HMAC of that cookie
 * under the server secret. A cross-site page can neither read the cookie nor forge the field; no
 * server-side state, so every replica checks it alike. The JSON API needs none: its credential is the
 * token in the path, never a cookie alone.
 */
@Component
public class Csrf {

    public static final String FIELD = "_csrf";
    static final String COOKIE = "todoke_csrf";

    private final ServerSecret secret;
    private final SecureRandom random;

    public Csrf(ServerSecret secret, SecureRandom random) {
        this.secret = secret;
        this.random = random;
    }

    /** The value for the hidden field of a form on this page; sets the cookie first when missing. */
    public String formToken(HttpServletRequest request, HttpServletResponse response) {
        String cookie = cookie(request);
        if (cookie == null) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ResponseCookie set = ResponseCookie.from(COOKIE, cookie)
                    .httpOnly(true)
                    .secure(request.isSecure())
                    .sameSite("Strict")
                    .path("/")
                    .build();
            response.addHeader(HttpHeaders.SET_COOKIE, set.toString());
        }
        return sign(cookie);
    }

    /** Refuses ({@code csrf}, forbidden) unless the form field matches the cookie. */
    public void check(HttpServletRequest request) {
        String cookie = cookie(request);
        String field = request.getParameter(FIELD);
        if (cookie == null
                || field == null
                || !MessageDigest.isEqual(
                        sign(cookie).getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII))) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "csrf");
        }
    }

    private String sign(String cookie) {
        byte[] mac = secret.mac("csrf").doFinal(cookie.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName()) && !c.getValue().isBlank()) {
                return c.getValue();
            }
        }
        return null;
    }
}
