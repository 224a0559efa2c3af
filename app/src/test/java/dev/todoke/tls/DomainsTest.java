package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainsTest {

    @Test
    void normalizeWhenMixedCaseTrailingDotOrIdnThenAsciiLowerCase() {
        assertThat(Domains.normalize("Example.COM.")).isEqualTo("example.com");
        assertThat(Domains.normalize("例え.テスト")).isEqualTo("xn--r8jz45g.xn--zckzah");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "localhost",
                "exa mple.com",
                "-bad.com",
                "bad-.com",
                "a..com",
                "1.2.3.4",
                "a_b.com",
                "example.com/../x",
                "<script>.com"
            })
    void normalizeWhenNotADomainThenRejected(String domain) {
        assertThatThrownBy(() -> Domains.normalize(domain)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofAddressWhenMailAddressThenItsDomain() {
        assertThat(Domains.ofAddress("Taro.Yamada@Partner.Example.JP")).isEqualTo("partner.example.jp");
        assertThat(Domains.ofAddress("\"a@b\"@example.com")).isEqualTo("example.com");
        assertThatThrownBy(() -> Domains.ofAddress("no-at-sign")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Domains.ofAddress("trailing@")).isInstanceOf(IllegalArgumentException.class);
    }
}
