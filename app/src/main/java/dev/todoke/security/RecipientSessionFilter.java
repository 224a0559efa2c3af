package dev.todoke.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In the recipient chain: a request with a live recipient session becomes a {@link
 * RecipientAuthentication} for the request's duration (the security context is not stored anywhere).
 */
final class RecipientSessionFilter extends OncePerRequestFilter {

    private final RecipientSessionLookup sessions;

    RecipientSessionFilter(RecipientSessionLookup sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        sessions.linkOf(request).ifPresent(linkId -> {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new RecipientAuthentication(linkId));
            SecurityContextHolder.setContext(context);
        });
        chain.doFilter(request, response);
    }
}
