package dev.todoke.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The CSRF token for a form on the page being rendered: the value of its hidden field {@code _csrf} (or of
 * the header {@code X-CSRF-TOKEN}). Spring Security's CSRF filter puts the token on every request it
 * guards; reading it here sets the cookie (recipient and sender pages) or stores it in the session
 * (console) when the client has none yet. Pages rendered with Thymeleaf's {@code th:action} get the
 * hidden field without this.
 */
public final class FormCsrf {

    private FormCsrf() {}

    /** The (masked) token value; {@code ""} on a request that Spring Security's CSRF filter did not see. */
    public static String token(HttpServletRequest request) {
        Object token = request.getAttribute(CsrfToken.class.getName());
        return token instanceof CsrfToken csrf ? csrf.getToken() : "";
    }
}
