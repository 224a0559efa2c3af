package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.relay.RelayProperties.StartTls;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayPropertiesTest {

    static RelayProperties relay(String host, StartTls starttls, Boolean verify, String user) {
        return new RelayProperties(
                host,
                25,
                starttls,
                verify,
                null,
                "",
                "PKCS12",
                user,
                user.isEmpty() ? "" : "secret",
                false,
                "",
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp.example.com", "10.0.0.5", "192.0.2.1", "2001:db8::1", "localhost.example.com"})
    void verifiesCertificateWhenRemoteHostAndNotSetThenTrueEvenOpportunistic(String host) {
        assertThat(relay(host, StartTls.OPPORTUNISTIC, null, "").verifiesCertificate())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"})
    void verifiesCertificateWhenLoopbackHostAndOpportunisticThenFalse(String host) {
        assertThat(relay(host, StartTls.OPPORTUNISTIC, null, "").verifiesCertificate())
                .isFalse();
    }

    @Test
    void verifiesCertificateWhenRequiredOrSetExplicitlyThenAsSaid() {
        assertThat(relay("127.0.0.1", StartTls.REQUIRED, null, "").verifiesCertificate())
                .isTrue();
        assertThat(relay("127.0.0.1", StartTls.OPPORTUNISTIC, true, "").verifiesCertificate())
                .isTrue();
        assertThat(relay("smtp.example.com", StartTls.REQUIRED, false, "").verifiesCertificate())
                .isFalse();
    }

    @Test
    void credentialsProtectedWhenOnlyRequiredWithVerificationThenTrue() {
        assertThat(relay("smtp.example.com", StartTls.REQUIRED, null, "user").credentialsProtected())
                .isTrue();
        assertThat(relay("smtp.example.com", StartTls.OPPORTUNISTIC, null, "user")
                        .credentialsProtected())
                .isFalse();
        assertThat(relay("smtp.example.com", StartTls.REQUIRED, false, "user").credentialsProtected())
                .isFalse();
        assertThat(relay("127.0.0.1", StartTls.OFF, null, "").credentialsProtected())
                .isTrue();
    }
}
