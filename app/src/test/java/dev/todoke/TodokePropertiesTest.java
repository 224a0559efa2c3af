package dev.todoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class TodokePropertiesTest {

    private final TodokeProperties properties =
            new TodokeProperties(URI.create("https://files.corp.example"), Path.of("."), List.of("Corp.Example"));

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TodokeProperties.class)
    static class Bound {}

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void isInternalWhenDomainOrSubdomainThenTrue() {
        assertThat(properties.isInternal("bob@corp.example")).isTrue();
        assertThat(properties.isInternal("bob@tokyo.CORP.example")).isTrue();
    }

    @Test
    void isInternalWhenOtherDomainOrLookalikeThenFalse() {
        assertThat(properties.isInternal("bob@partner.example")).isFalse();
        assertThat(properties.isInternal("bob@evilcorp.example")).isFalse();
        assertThat(properties.isInternal("")).isFalse();
    }

    @Test
    void isInternalWhenRoutedLocalPartThenFalseWhateverTheDomain() {
        assertThat(properties.isInternal("bob%evil.example@corp.example")).isFalse();
        assertThat(properties.isInternal("\"eve@evil.example\"@corp.example")).isFalse();
        assertThat(properties.isInternal("evil.example!bob@corp.example")).isFalse();
        assertThat(properties.isInternalDomain("bob%evil.example@corp.example")).isTrue();
    }

    @Test
    void bindWhenInternalDomainsMissingThenStartFailsNamingTheSetting() {
        context.run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("internalDomains")
                    .hasMessageContaining("--todoke.internal-domains=example.com");
        });
    }

    @Test
    void bindWhenInternalDomainsBlankThenStartFails() {
        context.withPropertyValues("todoke.internal-domains= , ")
                .run(started -> assertThat(started).hasFailed());
    }

    @Test
    void bindWhenInternalDomainsSetThenTrimmedAndLowerCase() {
        context.withPropertyValues("todoke.internal-domains= Corp.Example ,tokyo.example")
                .run(started -> assertThat(
                                started.getBean(TodokeProperties.class).internalDomains())
                        .containsExactly("corp.example", "tokyo.example"));
    }
}
