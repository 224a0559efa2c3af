package dev.todoke.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/**
 * Language (Japanese or English: Accept-Language, overridden by {@code ?lang=ja|en}, remembered in a
 * cookie). CSRF is Spring Security's ({@code dev.todoke.security}).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final Locale JAPANESE = Locale.JAPANESE;
    static final Locale ENGLISH = Locale.ENGLISH;

    private final CookieLocaleResolver locales = cookieLocaleResolver();

    @Bean
    LocaleResolver localeResolver() {
        return locales;
    }

    private static CookieLocaleResolver cookieLocaleResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("todoke_lang");
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieSameSite("Lax");
        resolver.setCookieHttpOnly(true);
        resolver.setDefaultLocaleFunction(WebConfiguration::fromAcceptLanguage);
        return resolver;
    }

    /** The first of Japanese or English in the client's Accept-Language; English when neither. */
    static Locale fromAcceptLanguage(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") == null) {
            return ENGLISH;
        }
        for (Locale locale : Collections.list(request.getLocales())) {
            if (locale.getLanguage().equals("ja")) {
                return JAPANESE;
            }
            if (locale.getLanguage().equals("en")) {
                return ENGLISH;
            }
        }
        return ENGLISH;
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
                })
                .addPathPatterns("/d/**", "/s/**", "/admin/**", "/my/**");
    }
}
