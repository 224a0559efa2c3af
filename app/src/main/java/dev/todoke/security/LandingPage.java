package dev.todoke.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * Where a sign-in lands: the page that asked for it, if any; otherwise the console ({@code /admin}) for an
 * administrator and the sender portal ({@code /my}) for everyone else.
 */
final class LandingPage extends SavedRequestAwareAuthenticationSuccessHandler {

    @Override
    protected String determineTargetUrl(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        return SignedInUser.isAdmin(authentication) ? "/admin" : "/my";
    }
}
