package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void maskWhenAddressThenFirstCharacterStarsAndDomain() {
        assertThat(Addresses.mask("taro@example.com")).isEqualTo("t***@example.com");
        assertThat(Addresses.mask("t@example.com")).isEqualTo("t***@example.com");
        assertThat(Addresses.mask("\"a@b\"@example.com")).isEqualTo("\"***@example.com");
        assertThat(Addresses.mask("山田@例え.jp")).isEqualTo("山***@例え.jp");
        assertThat(Addresses.mask("😀x@example.com")).isEqualTo("😀***@example.com");
    }

    @Test
    void maskWhenNoLocalPartThenOnlyStars() {
        assertThat(Addresses.mask("@example.com")).isEqualTo("***");
        assertThat(Addresses.mask("nonsense")).isEqualTo("***");
    }

    @Test
    void fromHeaderWhenDisplayNameThenTheAddress() {
        assertThat(Addresses.fromHeader("\"Taro <boss>\" <taro@corp.example>", "x@y"))
                .isEqualTo("taro@corp.example");
        assertThat(Addresses.fromHeader("=?UTF-8?B?5aSq6YOO?= <taro@corp.example>", "x@y"))
                .isEqualTo("taro@corp.example");
        assertThat(Addresses.fromHeader("taro@corp.example", "x@y")).isEqualTo("taro@corp.example");
        assertThat(Addresses.fromHeader(null, "env@corp.example")).isEqualTo("env@corp.example");
        assertThat(Addresses.fromHeader("undisclosed", "env@corp.example")).isEqualTo("env@corp.example");
    }
}
