package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedValuesTest {

    private static final String ROW = "row-1";

    private final SecureRandom random = new SecureRandom();

    @Test
    void openWhenSealedForTheSameContextThenTheValueAndNoPlaintextInTheSealedBytes() {
        SealedValues values = new SealedValues(TestKeys.first(), random);
        byte[] value = "manage=secret-token-1234567890".getBytes(StandardCharsets.US_ASCII);

        byte[] sealed = values.seal(value, ROW);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("secret-token");
        assertThat(sealed).hasSize(2 + "k1".length() + 12 + value.length + 16);
        assertThat(values.open(sealed, ROW)).isEqualTo(value);
        assertThat(values.seal(value, ROW)).as("a random nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void openWhenLargeValueThenTheValue() {
        SealedValues values = new SealedValues(TestKeys.first(), random);
        byte[] value = TestData.bytes(200_000, 7);

        assertThat(values.open(values.seal(value, ROW), ROW)).isEqualTo(value);
    }

    @Test
    void openWhenSealedBeforeARotationThenStillReadable() {
        byte[] sealed = new SealedValues(TestKeys.first(), random).seal(new byte[] {1, 2, 3}, ROW);

        assertThat(new SealedValues(TestKeys.rotated(), random).open(sealed, ROW))
                .containsExactly(1, 2, 3);
    }

    @Test
    void openWhenOtherContextOrAlteredOrUnknownKeyThenIntegrityError() {
        SealedValues values = new SealedValues(TestKeys.first(), random);
        byte[] sealed = values.seal(new byte[] {1, 2, 3}, ROW);
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        SealedValues otherRing = new SealedValues(KeyRing.of(Map.of("k9", TestKeys.OTHER), "k9"), random);

        assertThatThrownBy(() -> values.open(sealed, "row-2")).isInstanceOf(BlobIntegrityException.class);
        assertThatThrownBy(() -> values.open(altered, ROW)).isInstanceOf(BlobIntegrityException.class);
        assertThatThrownBy(() -> otherRing.open(sealed, ROW))
                .isInstanceOf(BlobIntegrityException.class)
                .hasMessageContaining("'k1'");
        assertThatThrownBy(() -> values.open(new byte[] {9, 0}, ROW))
                .isInstanceOf(BlobIntegrityException.class)
                .hasMessage("not a sealed value of a known version");
    }
}
