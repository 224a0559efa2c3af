package dev.todoke.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/v1/admin/**} with HTTP Basic against {@code todoke.admin.username} and
 * {@code todoke.admin.password}: 503 when no password is configured (the API is never open), 401 without
 * or with wrong credentials. Credentials are compared as SHA-256 hashes in constant time. Errors are JSON
 * {@code {"error": "..."}}.
 */
class AdminAuthFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminAuthFilter.class);

    private final AdminProperties properties;
    private final byte[] usernameHash;
    private final byte[] passwordHash;

    AdminAuthFilter(AdminProperties properties) {
        this.properties = properties;
        this.usernameHash = sha256(properties.username());
        this.passwordHash = properties.enabled() ? sha256(properties.password()) : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!properties.enabled()) {
            error(response, 503, "The admin API is disabled: set todoke.admin.password to enable it.");
            return;
        }
        if (!authenticated(request.getHeader("Authorization"))) {
            log.info("admin API: authentication failed from {}", request.getRemoteAddr());
            response.setHeader("WWW-Authenticate", "Basic realm=\"Todoke admin\", charset=\"UTF-8\"");
            error(response, 401, "Authentication required: HTTP Basic with the admin credentials.");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean authenticated(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean user = MessageDigest.isEqual(usernameHash, sha256(decoded.substring(0, colon)));
        boolean pass = MessageDigest.isEqual(passwordHash, sha256(decoded.substring(colon + 1)));
        return user & pass;
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter()
                .write("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
