package dev.todoke.virus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** {@code todoke.clamav.enabled}: unset means off in dev mode and on in production mode. */
class VirusConfigurationTest {

    private static ClamavProperties properties(Boolean enabled) {
        return new ClamavProperties(
                enabled, "127.0.0.1", 3310, Duration.ofSeconds(60), false, ClamavProperties.Oversize.REFUSE);
    }

    private static boolean enabled(Boolean setting, String mode) {
        MockEnvironment environment = new MockEnvironment();
        if (mode != null) {
            environment.setProperty("todoke.mode", mode);
        }
        return new VirusConfiguration()
                .virusScanning(properties(setting), environment)
                .enabled();
    }

    @Test
    void virusScanningWhenUnsetThenOffInDevAndOnInProduction() {
        assertThat(enabled(null, null)).isFalse();
        assertThat(enabled(null, "dev")).isFalse();
        assertThat(enabled(null, "production")).isTrue();
    }

    @Test
    void virusScanningWhenSetThenAsSetInEitherMode() {
        assertThat(enabled(true, "dev")).isTrue();
        assertThat(enabled(false, "production")).isFalse();
    }

    @Test
    void virusScanningWhenBuiltThenClientPointsAtTheSetting() {
        ClamavProperties custom = new ClamavProperties(
                true, "clamd.internal", 3311, Duration.ofSeconds(5), true, ClamavProperties.Oversize.PASS);

        VirusScanning scanning = new VirusConfiguration().virusScanning(custom, new MockEnvironment());

        assertThat(scanning.clamd().address()).isEqualTo("clamd.internal:3311");
        assertThat(scanning.failOpen()).isTrue();
        assertThat(scanning.oversize()).isEqualTo(ClamavProperties.Oversize.PASS);
    }
}
