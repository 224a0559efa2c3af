package dev.todoke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Each unsafe setting alone is refused with one line that names it; a safe configuration has none. */
class ProductionChecksTest {

    static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    /** A complete, safe production configuration (the values are only checked for presence here). */
    static Map<String, String> safe() {
        Map<String, String> p = new HashMap<>();
        p.put("todoke.mode", "production");
        p.put("todoke.public-url", "https://files.corp.example");
        p.put("todoke.internal-domains", "corp.example");
        p.put("todoke.relay.host", "smtp.corp.example");
        p.put("todoke.relay.port", "587");
        p.put("todoke.relay.starttls", "required");
        p.put("todoke.relay.username", "todoke");
        p.put("todoke.relay.password", "relay-password");
        p.put("todoke.web.secret", KEY);
        p.put("todoke.mail.seal-key", KEY);
        p.put("todoke.audit.key", KEY);
        p.put("todoke.storage.keys.primary", "k1");
        p.put("todoke.storage.keys.kek[0].id", "k1");
        p.put("todoke.storage.keys.kek[0].key", KEY);
        p.put("spring.datasource.url", "jdbc:postgresql://db.corp.example:5432/todoke");
        return p;
    }

    static List<String> problems(Map<String, String> properties) {
        return ProductionChecks.problems(new Binder(new MapConfigurationPropertySource(properties)));
    }

    @Test
    void problemsWhenCompleteSafeConfigurationThenNone() {
        assertThat(problems(safe())).isEmpty();
    }

    static Stream<Arguments> unsafe() {
        return Stream.of(
                Arguments.of("todoke.public-url", "http://files.corp.example", "todoke.public-url is http://"),
                Arguments.of("todoke.relay.host", null, "todoke.relay.host is not set"),
                Arguments.of("todoke.web.secret", null, "todoke.web.secret is not set"),
                Arguments.of("todoke.web.secret", " ", "todoke.web.secret is not set"),
                Arguments.of("todoke.mail.seal-key", null, "todoke.mail.seal-key is not set"),
                Arguments.of("todoke.audit.key", null, "todoke.audit.key is not set"),
                Arguments.of("todoke.storage.keys.kek[0].key", null, "todoke.storage.keys.kek is not set"),
                Arguments.of("todoke.internal-domains", null, "todoke.internal-domains is empty"),
                Arguments.of("todoke.internal-domains", " ", "todoke.internal-domains is empty"),
                Arguments.of(
                        "spring.datasource.url",
                        "jdbc:h2:file:./data/db/todoke;MODE=PostgreSQL",
                        "spring.datasource.url is the embedded H2"),
                Arguments.of("spring.datasource.url", "jdbc:h2:mem:x", "spring.datasource.url is the embedded H2"),
                Arguments.of("spring.datasource.url", null, "spring.datasource.url is not set"),
                Arguments.of(
                        "todoke.relay.starttls",
                        "opportunistic",
                        "todoke.relay.username is set but todoke.relay.starttls is opportunistic"),
                Arguments.of(
                        "todoke.relay.verify-certificate",
                        "false",
                        "todoke.relay.username is set but todoke.relay.starttls is required and"
                                + " todoke.relay.verify-certificate is false"),
                Arguments.of("todoke.admin.password", "{noop}a-long-password", "todoke.admin.password is a {noop}"),
                Arguments.of("todoke.admin.password", "short-pw", "todoke.admin.password is shorter than 12"),
                Arguments.of(
                        "spring.security.oauth2.client.provider.todoke.issuer-uri",
                        "http://idp.corp.example/realms/corp",
                        "spring.security.oauth2.client.provider.todoke.issuer-uri is http://"));
    }

    @Test
    void problemsWhenAdminSignInSafeThenNone() {
        Map<String, String> bcrypt = safe();
        bcrypt.put("todoke.admin.password", "{bcrypt}$2a$10$abcdefghijklmnopqrstuu");
        bcrypt.put("spring.security.oauth2.client.provider.todoke.issuer-uri", "https://idp.corp.example/realms/corp");
        Map<String, String> longPlain = safe();
        longPlain.put("todoke.admin.password", "correct horse battery staple");
        Map<String, String> localOff = safe();
        localOff.put("todoke.admin.password", "short");
        localOff.put("todoke.admin.local-account", "false");

        assertThat(problems(bcrypt)).isEmpty();
        assertThat(problems(longPlain)).isEmpty();
        assertThat(problems(localOff)).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("unsafe")
    void problemsWhenOneSettingUnsafeThenOneLineNamingIt(String setting, String value, String expected) {
        Map<String, String> properties = safe();
        if (value == null) {
            properties.remove(setting);
        } else {
            properties.put(setting, value);
        }

        List<String> problems = problems(properties);

        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst()).startsWith(expected).doesNotContain("\n");
    }

    @Test
    void problemsWhenRelayWithoutCredentialsIsOpportunisticThenAccepted() {
        Map<String, String> properties = safe();
        properties.remove("todoke.relay.username");
        properties.remove("todoke.relay.password");
        properties.put("todoke.relay.starttls", "opportunistic");

        assertThat(problems(properties)).isEmpty();
    }

    @Test
    void problemsWhenKeysComeFromAnExistingKeyFileThenAccepted(@TempDir Path dir) throws Exception {
        Map<String, String> properties = safe();
        properties.remove("todoke.storage.keys.primary");
        properties.remove("todoke.storage.keys.kek[0].id");
        properties.remove("todoke.storage.keys.kek[0].key");
        Path file = dir.resolve("kek.properties");
        properties.put("todoke.storage.keys.file", file.toString());

        assertThat(problems(properties))
                .singleElement()
                .asString()
                .contains("todoke.storage.keys.file names no existing file");

        Files.writeString(file, "primary=k1\nkek.k1=" + KEY + "\n");
        assertThat(problems(properties)).isEmpty();
    }

    @Test
    void problemsWhenNothingIsSetThenEveryProblemOnItsOwnLineAndNoSecretValueShown() {
        Map<String, String> properties = new HashMap<>();
        properties.put("todoke.relay.host", "smtp.corp.example");
        properties.put("todoke.relay.username", "todoke");
        properties.put("todoke.relay.password", "relay-password");

        List<String> problems = problems(properties);

        assertThat(problems)
                .extracting(p -> p.substring(0, p.indexOf(' ')))
                .containsExactly(
                        "todoke.public-url",
                        "todoke.internal-domains",
                        "todoke.relay.username",
                        "todoke.web.secret",
                        "todoke.mail.seal-key",
                        "todoke.audit.key",
                        "todoke.storage.keys.kek",
                        "spring.datasource.url");
        assertThat(String.join("\n", problems)).doesNotContain("relay-password");
    }
}
