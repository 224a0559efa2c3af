package dev.todoke.inspection;

/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check and start with a known issuer
 * prefix: Visa 4, Mastercard 51–55 and 2221–2720, American Express 34 and 37, JCB 3528–3589, Diners
 * Club 36, 300–305 and 38–39, Discover 6011, 644–649 and 65. Stateless.
 */
final class CardNumbers {

    static final int MIN_LENGTH = 13;
    static final int MAX_LENGTH = 19;

    private CardNumbers() {}

    /** Whether {@code length} digit values (0–9) starting at {@code from} are a card number. */
    static boolean valid(int[] digits, int from, int length) {
        return length >= MIN_LENGTH && length <= MAX_LENGTH && knownIssuer(digits, from) && luhn(digits, from, length);
    }

    static boolean luhn(int[] digits, int from, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int d = digits[from + length - 1 - i];
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    static boolean knownIssuer(int[] digits, int from) {
        int two = digits[from] * 10 + digits[from + 1];
        int three = two * 10 + digits[from + 2];
        int four = three * 10 + digits[from + 3];
        return digits[from] == 4 // Visa
                || (two >= 51 && two <= 55)
                || (four >= 2221 && four <= 2720) // Mastercard
                || two == 34
                || two == 37 // American Express
                || (four >= 3528 && four <= 3589) // JCB
                || two == 36
                || (three >= 300 && three <= 305)
                || two == 38
                || two == 39 // Diners Club
                || four == 6011
                || two == 65
                || (three >= 644 && three <= 649); // Discover
    }
}
