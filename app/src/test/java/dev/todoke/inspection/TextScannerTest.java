package dev.todoke.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.inspection.TextFindings.Hits;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextScannerTest {

    /** Valid check digits (computed by the rule of 個人番号), and the same numbers with the last digit off. */
    static final List<String> VALID_MY_NUMBERS =
            List.of("123456789018", "987654321093", "111111111118", "432109876540");

    static final List<String> INVALID_MY_NUMBERS =
            List.of("123456789017", "987654321090", "111111111119", "432109876541");

    /** Well-known test numbers: Visa, Mastercard (51-55 and 2221-2720), Amex, JCB, Diners, Discover. */
    static final List<String> VALID_CARDS = List.of(
            "4111111111111111",
            "5555555555554444",
            "2221000000000009",
            "378282246310005",
            "3530111333300000",
            "30569309025904",
            "6011111111111117");

    private static Map<String, Hits> scan(String text) {
        return scan(text, Map.of());
    }

    private static Map<String, Hits> scan(String text, Map<String, Pattern> rules) {
        TextScanner scanner = new TextScanner(true, true, rules);
        scanner.accept(text);
        scanner.end();
        return scanner.hits();
    }

    private static int[] digits(String s) {
        return s.chars().map(c -> c - '0').toArray();
    }

    @Test
    void validWhenCheckDigitIsRightThenTrueElseFalse() {
        VALID_MY_NUMBERS.forEach(
                n -> assertThat(MyNumber.valid(digits(n), 0)).as(n).isTrue());
        INVALID_MY_NUMBERS.forEach(
                n -> assertThat(MyNumber.valid(digits(n), 0)).as(n).isFalse());
    }

    @Test
    void validWhenCheckDigitRemainderIsZeroOrOneThenZero() {
        // remainder 0: all zeros; remainder 1: the 11th digit 6 weighs 6 * Q(1) = 12, 12 mod 11 = 1
        assertThat(MyNumber.valid(digits("000000000000"), 0)).isTrue();
        assertThat(MyNumber.valid(digits("000000000060"), 0)).isTrue();
        assertThat(MyNumber.valid(digits("000000000061"), 0)).isFalse();
        assertThat(MyNumber.valid(digits("000000000069"), 0)).isFalse(); // 11 - 1 = 10 is not a digit
    }

    @Test
    void validWhenCardPassesLuhnAndIssuerThenTrue() {
        VALID_CARDS.forEach(n ->
                assertThat(CardNumbers.valid(digits(n), 0, n.length())).as(n).isTrue());
        assertThat(CardNumbers.valid(digits("4111111111111112"), 0, 16)).isFalse(); // Luhn fails
        assertThat(CardNumbers.valid(digits("9111111111111110"), 0, 16)).isFalse(); // no such issuer (Luhn ok)
        assertThat(CardNumbers.valid(digits("411111111111"), 0, 12)).isFalse(); // too short
    }

    @Test
    void scanWhenNumbersInTextThenCountedWithLines() {
        String text = "請求書\n個人番号: 1234 5678 9018\nカード 4111-1111-1111-1111 と 3530111333300000\n"
                + "無効: 123456789017, 4111111111111112\n";

        Map<String, Hits> hits = scan(text);

        assertThat(hits.get(TextFindings.MY_NUMBER)).isEqualTo(new Hits(1, List.of(2L)));
        assertThat(hits.get(TextFindings.CARD_NUMBER)).isEqualTo(new Hits(2, List.of(3L, 3L)));
    }

    @Test
    void scanWhenInvalidCheckDigitsThenNothing() {
        assertThat(scan(String.join(",", INVALID_MY_NUMBERS) + " 4111111111111112 5555555555554443"))
                .isEmpty();
    }

    @Test
    void scanWhenFullWidthDigitsThenFound() {
        assertThat(scan("番号：１２３４５６７８９０１８です")).containsKey(TextFindings.MY_NUMBER);
    }

    @Test
    void scanWhenDigitsAreLongerOrGluedToWordsThenNotANumber() {
        assertThat(scan("ID1234567890181234567 id_123456789018 A123456789018 1234567890189"))
                .isEmpty();
    }

    @Test
    void scanWhenTwoNumbersAreOnlySeparatedBySpacesThenBothFound() {
        assertThat(scan("4111 1111 1111 1111 123456789018")
                        .get(TextFindings.CARD_NUMBER)
                        .count())
                .isEqualTo(1);
        assertThat(scan("4111 1111 1111 1111 123456789018")
                        .get(TextFindings.MY_NUMBER)
                        .count())
                .isEqualTo(1);
    }

    @Test
    void scanWhenAnInvalidCardHoldsAValidMyNumberPrefixThenNothing() {
        // 4111 1111 1111 is a valid My Number; as the start of an invalid card number it is not one
        assertThat(scan("4111 1111 1111 1112")).isEmpty();
        assertThat(scan("4111 1111 1111")).containsOnlyKeys(TextFindings.MY_NUMBER);
    }

    @Test
    void scanWhenCsvThenEachFieldCounts() {
        String csv = "name,number\n山田,123456789018\n佐藤,987654321093\n鈴木,111111111119\n";

        assertThat(scan(csv).get(TextFindings.MY_NUMBER)).isEqualTo(new Hits(2, List.of(2L, 3L)));
    }

    @Test
    void scanWhenChunksSplitANumberThenStillFound() {
        TextScanner scanner = new TextScanner(true, true, Map.of("secret", Pattern.compile("社外秘")));
        String text = "x 4111 1111 1111 1111 y 社外秘 z";
        for (char c : text.toCharArray()) {
            scanner.accept(new char[] {c}, 0, 1);
        }
        scanner.end();

        assertThat(scanner.hits()).containsOnlyKeys(TextFindings.CARD_NUMBER, "secret");
    }

    @Test
    void scanWhenRulesMatchThenCountedPerRule() {
        Map<String, Hits> hits = scan(
                "社外秘の資料\n普通の行\nCONFIDENTIAL and confidential\n",
                Map.of("secret", Pattern.compile("社外秘"), "confidential", Pattern.compile("(?i)confidential")));

        assertThat(hits.get("secret")).isEqualTo(new Hits(1, List.of(1L)));
        assertThat(hits.get("confidential")).isEqualTo(new Hits(2, List.of(3L, 3L)));
    }

    @Test
    void scanWhenLineIsLongerThanTheWindowThenEachMatchCountedOnce() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            line.append("abc KEY ");
        }
        Map<String, Hits> hits = scan(line.toString(), Map.of("key", Pattern.compile("KEY")));

        assertThat(hits.get("key").count()).isEqualTo(5000);
    }

    @Test
    void scanWhenDetectorsAreOffThenNothing() {
        TextScanner scanner = new TextScanner(false, false, Map.of());
        scanner.accept("123456789018 4111111111111111");
        scanner.end();

        assertThat(scanner.active()).isFalse();
        assertThat(scanner.hits()).isEmpty();
    }
}
