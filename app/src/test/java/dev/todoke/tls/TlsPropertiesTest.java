package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding of {@code todoke.tls.*} as an administrator writes it, and the startup checks. */
class TlsPropertiesTest {

    private static TlsProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("todoke.tls", TlsProperties.class);
    }

    @Test
    void bindWhenNothingSetThenDefaults() {
        TlsProperties p = bind(Map.of());

        assertThat(p.resolver()).isNull();
        assertThat(p.port()).isEqualTo(25);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.checkTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(p.cacheTtl()).isEqualTo(Duration.ofHours(6));
        assertThat(p.failureTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.policy().defaultAction()).isEqualTo(PolicyAction.LINK);
        assertThat(p.policy().rules()).isEmpty();
        assertThat(p.policy().budget()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.mxOverrides()).isEmpty();
    }

    @Test
    void bindWhenPolicyAndOverridesWrittenAsInYamlThenBound() {
        TlsProperties p = bind(Map.of(
                "todoke.tls.policy.default", "refuse-if-no-tls",
                "todoke.tls.policy.rules[0].domain", "*.Partner.example",
                "todoke.tls.policy.rules[0].action", "keep-if-verified",
                "todoke.tls.mx-overrides[Good.Test]", "127.0.0.1:2525",
                "todoke.tls.resolver", "127.0.0.1:5353",
                "todoke.tls.cache-ttl", "1h"));

        assertThat(p.policy().defaultAction()).isEqualTo(PolicyAction.REFUSE_IF_NO_TLS);
        assertThat(p.policy().rules())
                .containsExactly(new TlsProperties.Rule("*.partner.example", PolicyAction.KEEP_IF_VERIFIED));
        assertThat(p.mxOverrides()).containsEntry("good.test", "127.0.0.1:2525");
        assertThat(p.resolver()).isEqualTo("127.0.0.1:5353");
        assertThat(p.cacheTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void bindWhenCheckTimeoutNotUnder30SecondsThenFailsClearly() {
        assertThatThrownBy(() -> bind(Map.of("todoke.tls.check-timeout", "30s")))
                .hasRootCauseMessage("todoke.tls.check-timeout must be under 30s, got PT30S");
    }

    @Test
    void bindWhenOverrideIsNotHostPortThenFailsClearly() {
        assertThatThrownBy(() -> bind(Map.of("todoke.tls.mx-overrides[good.test]", "host:notaport")))
                .hasStackTraceContaining("todoke.tls.mx-overrides[good.test] must be host:port");
    }

    @Test
    void bindWhenRuleDomainInvalidThenFails() {
        assertThatThrownBy(() -> bind(Map.of(
                        "todoke.tls.policy.rules[0].domain", "not a domain",
                        "todoke.tls.policy.rules[0].action", "link")))
                .rootCause()
                .hasMessageContaining("not a valid domain name");
    }

    @Test
    void bindWhenUnknownActionThenFails() {
        assertThatThrownBy(() -> bind(Map.of("todoke.tls.policy.default", "encrypt-everything")))
                .hasMessageContaining("todoke.tls.policy.default");
    }

    @Test
    void bindWhenTrustStoreMissingThenFailsClearly() {
        assertThatThrownBy(() -> bind(Map.of("todoke.tls.trust-store", "/nonexistent/trust.p12")))
                .rootCause()
                .hasMessageContaining("todoke.tls.trust-store is not a readable file");
    }
}
