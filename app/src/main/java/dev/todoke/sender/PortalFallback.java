package dev.todoke.sender;

import dev.todoke.security.SignedInUser;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.Controller;

/**
 * A fallback page for the sender portal {@code /my} (reached only after an OIDC sign-in, see {@code
 * dev.todoke.security}): who is signed in and the verified address the portal matches envelope senders
 * with. It sits in a handler mapping after Spring MVC's annotated controllers, so the portal's own {@code
 * /my} page, when present, takes precedence without a conflict.
 */
@Configuration(proxyBeanMethods = false)
class PortalFallback {

    @Bean
    SimpleUrlHandlerMapping portalFallbackMapping() {
        Controller page = (request, response) -> {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            ModelAndView view = new ModelAndView("sender/portal-fallback");
            view.addObject("name", user == null ? "" : user.getName());
            view.addObject("email", SignedInUser.verifiedEmail(user).orElse(null));
            return view;
        };
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of("/my", page));
        mapping.setOrder(1); // after @RequestMapping controllers (0), before static resources
        return mapping;
    }
}
