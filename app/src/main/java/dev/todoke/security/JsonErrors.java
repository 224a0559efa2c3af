package dev.todoke.security;

import dev.todoke.web.CanonicalPath;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * The security chains' answers in the API's error format ({@code {"error": "..."}}, docs/api.md): 401 with
 * a Basic challenge, 503 when no admin sign-in is configured at all, 403 for a signed-in user without the
 * role or a missing CSRF token ({@code csrf}). Pages get the servlet error page instead.
 */
final class JsonErrors {

    static final String UNAUTHENTICATED = "Authentication required: HTTP Basic with the admin credentials.";
    static final String DISABLED = "The admin API is disabled: set todoke.admin.password or configure single"
            + " sign-on (spring.security.oauth2.client.registration.todoke) to enable it.";

    private JsonErrors() {}

    static boolean isApi(HttpServletRequest request) {
        return CanonicalPath.of(request).startsWith("/api/");
    }

    /** 401 with the Basic challenge, or 503 when {@code enabled} is false (no way to sign in). */
    static AuthenticationEntryPoint adminApi(boolean enabled) {
        return (request, response, exception) -> {
            if (!enabled) {
                write(response, 503, DISABLED);
                return;
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"Todoke admin\", charset=\"UTF-8\"");
            write(response, 401, UNAUTHENTICATED);
        };
    }

    /** 403 {@code {"error":"csrf"}} or {@code {"error":"forbidden"}} on the API, the 403 page elsewhere. */
    static AccessDeniedHandler denied() {
        return (request, response, exception) -> {
            if (!isApi(request)) {
                response.sendError(403);
                return;
            }
            write(response, 403, code(exception));
        };
    }

    private static String code(AccessDeniedException exception) {
        return exception instanceof CsrfException ? "csrf" : "forbidden";
    }

    static void write(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
