package dev.todoke.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The admin console ({@code /admin/**}) and the sender portal ({@code /my/**}) speak Japanese or English
 * like the recipient pages: Accept-Language, overridden by {@code ?lang=ja|en} and remembered in the
 * language cookie. Every page gets {@code user}, the signed-in user's name, for the header. The pages themselves are in the features they show (dashboard, templates, ...), on the
 * layout {@code templates/admin/layout.html}.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    private final LocaleResolver locales;

    ConsoleConfiguration(LocaleResolver locales) {
        this.locales = locales;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                        String lang = request.getParameter("lang");
                        if ("ja".equals(lang) || "en".equals(lang)) {
                            locales.setLocale(request, response, Locale.forLanguageTag(lang));
                        }
                        return true;
                    }

                    @Override
                    public void postHandle(
                            HttpServletRequest request,
                            HttpServletResponse response,
                            Object handler,
                            ModelAndView view) {
                        boolean redirect = view != null
                                && (view.getView() instanceof RedirectView
                                        || (view.getViewName() != null
                                                && view.getViewName().startsWith("redirect:")));
                        if (view != null
                                && !redirect
                                && request.getUserPrincipal() != null
                                && !view.getModel().containsKey("user")) {
                            view.addObject("user", request.getUserPrincipal().getName());
                        }
                    }
                })
                .addPathPatterns("/admin", "/admin/**", "/my", "/my/**");
    }
}
