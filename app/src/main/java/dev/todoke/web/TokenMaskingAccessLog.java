package dev.todoke.web;

import java.io.CharArrayWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.AccessLogValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Keeps link and management tokens out of Tomcat's access log. The access log is off by default; when an
 * administrator turns it on ({@code server.tomcat.accesslog.enabled=true}), Spring Boot adds an {@link
 * AccessLogValve}, which this customizer (running after Boot's) swaps for one with the same settings
 * that writes {@code /d/***}, {@code /s/***}, {@code /a/***} and {@code /api/v1/d/***} instead of the token.
 */
@Component
class TokenMaskingAccessLog implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private static final Pattern TOKEN_PATH = Pattern.compile("(/(?:api/v1/)?[dsa]/)[A-Za-z0-9_-]{16,}");

    static String mask(String line) {
        return TOKEN_PATH.matcher(line).replaceAll("$1***");
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        List<Valve> valves = new ArrayList<>();
        for (Valve valve : factory.getEngineValves()) {
            valves.add(valve instanceof AccessLogValve plain && !(valve instanceof Masking) ? masking(plain) : valve);
        }
        factory.setEngineValves(valves);
    }

    private static Masking masking(AccessLogValve plain) {
        Masking masked = new Masking();
        masked.setPattern(plain.getPattern());
        masked.setDirectory(plain.getDirectory());
        masked.setPrefix(plain.getPrefix());
        masked.setSuffix(plain.getSuffix());
        masked.setEncoding(plain.getEncoding());
        masked.setRotatable(plain.isRotatable());
        masked.setRenameOnRotate(plain.isRenameOnRotate());
        masked.setFileDateFormat(plain.getFileDateFormat());
        masked.setBuffered(plain.isBuffered());
        masked.setMaxDays(plain.getMaxDays());
        masked.setCheckExists(plain.isCheckExists());
        masked.setRequestAttributesEnabled(plain.getRequestAttributesEnabled());
        masked.setConditionIf(plain.getConditionIf());
        masked.setConditionUnless(plain.getConditionUnless());
        masked.setIpv6Canonical(plain.getIpv6Canonical());
        masked.setLocale(plain.getLocale());
        masked.setEnabled(plain.getEnabled());
        return masked;
    }

    /** An access log valve that masks tokens in each line before writing it. */
    static final class Masking extends AccessLogValve {
        @Override
        public void log(CharArrayWriter message) {
            CharArrayWriter masked = new CharArrayWriter(message.size());
            masked.append(mask(message.toString()));
            super.log(masked);
        }
    }
}
