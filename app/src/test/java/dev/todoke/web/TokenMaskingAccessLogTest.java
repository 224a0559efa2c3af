package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.valves.AccessLogValve;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

class TokenMaskingAccessLogTest {

    private static final String TOKEN = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE";

    @Test
    void maskWhenLinePathsHoldTokensThenStarred() {
        String line = "127.0.0.1 - - [23/Nov/2026] \"GET /d/" + TOKEN + "/files/abc HTTP/1.1\" 200 5"
                + " \"POST /api/v1/d/" + TOKEN + "/verify\" \"GET /s/" + TOKEN + "\" \"GET /api/v1/s/" + TOKEN
                + "/revoke\" \"POST /a/" + TOKEN + "/approve\" \"GET /api/v1/a/" + TOKEN + "\"";

        String masked = TokenMaskingAccessLog.mask(line);

        assertThat(masked)
                .doesNotContain(TOKEN)
                .contains("/d/***/files/abc", "/api/v1/d/***/verify", "/s/***\"", "/api/v1/s/***/revoke")
                .contains("/a/***/approve", "/api/v1/a/***\"");
        assertThat(TokenMaskingAccessLog.mask("GET /outbox/20261123 HTTP/1.1"))
                .isEqualTo("GET /outbox/20261123 HTTP/1.1");
    }

    @Test
    void customizeWhenAccessLogValveConfiguredThenReplacedByMaskingOneWithSameSettings() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        AccessLogValve plain = new AccessLogValve();
        plain.setPattern("%h %r %s");
        plain.setDirectory("/var/log/todoke");
        plain.setPrefix("access");
        factory.addEngineValves(plain);

        new TokenMaskingAccessLog().customize(factory);

        assertThat(factory.getEngineValves())
                .singleElement()
                .isInstanceOfSatisfying(TokenMaskingAccessLog.Masking.class, valve -> {
                    assertThat(valve.getPattern()).isEqualTo("%h %r %s");
                    assertThat(valve.getDirectory()).isEqualTo("/var/log/todoke");
                    assertThat(valve.getPrefix()).isEqualTo("access");
                });
    }
}
