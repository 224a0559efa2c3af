package dev.todoke.security;

import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.Controller;

/**
 * The sign-in page {@code GET /admin/login} (user name and password for the local account, a "sign in with
 * SSO" link to {@code /oauth2/authorization/todoke} when OIDC is configured; Japanese and English side by
 * side), and a fallback page for {@code /admin} that shows who is signed in. Both sit in a handler mapping
 * after Spring MVC's annotated controllers: the console's own pages, when present, take precedence without
 * a conflict.
 */
@Configuration(proxyBeanMethods = false)
class SignInPages {

    @Bean
    SimpleUrlHandlerMapping signInPageMapping(
            AdminSignInProperties properties, ObjectProvider<ClientRegistrationRepository> registrations) {
        Controller login = (request, response) -> {
            ModelAndView page = new ModelAndView("security/login");
            page.addObject("oidc", registrations.getIfAvailable() != null);
            page.addObject("local", properties.localAccountEnabled());
            page.addObject("error", request.getParameter("error") != null);
            page.addObject("loggedOut", request.getParameter("logout") != null);
            page.addObject("ssoPath", "/oauth2/authorization/" + OidcSignIn.REGISTRATION);
            return page;
        };
        Controller whoAmI = (request, response) -> signedIn();
        SimpleUrlHandlerMapping mapping =
                new SimpleUrlHandlerMapping(Map.of(SecurityConfiguration.LOGIN_PAGE, login, "/admin", whoAmI));
        mapping.setOrder(1); // after @RequestMapping controllers (0), before static resources
        return mapping;
    }

    private static ModelAndView signedIn() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        ModelAndView page = new ModelAndView("security/signed-in");
        page.addObject("name", user == null ? "" : user.getName());
        return page;
    }
}
