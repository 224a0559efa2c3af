package dev.todoke;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bob%evil.example@corp.example",
                "\"eve@evil.example\"@corp.example",
                "evil.example!bob@corp.example",
                "@relay.example:bob@corp.example",
                "\"a%b\"@corp.example"
            })
    void hasRoutedLocalPartWhenLocalPartHoldsRoutingCharacterThenTrue(String address) {
        assertThat(MailAddresses.hasRoutedLocalPart(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@corp.example", "\"bob smith\"@corp.example", "bob", "", "a.b+tag@corp.example"})
    void hasRoutedLocalPartWhenPlainAddressThenFalse(String address) {
        assertThat(MailAddresses.hasRoutedLocalPart(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@Corp.Example", "\"x@y\"@CORP.example"})
    void domainOfWhenAddressThenLowerCaseDomainAfterLastAt(String address) {
        assertThat(MailAddresses.domainOf(address)).isEqualTo("corp.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "postmaster"})
    void domainOfWhenNoAtThenEmpty(String address) {
        assertThat(MailAddresses.domainOf(address)).isEmpty();
    }
}
