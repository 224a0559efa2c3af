package dev.todoke.inspection;

/**
 * The check digit of a My Number (個人番号): 12 digits, the last one computed from the first 11 as
 * the law defines it (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第八条):
 * with P(n) the n-th of the first 11 digits counted from the right (n = 1 is the 11th digit) and Q(n)
 * = n + 1 for n ≤ 6, n − 5 for n ≥ 7, the remainder r of Σ P(n)·Q(n) by 11 gives the check digit 0
 * when r ≤ 1, otherwise 11 − r. Stateless.
 */
final class MyNumber {

    static final int LENGTH = 12;

    private MyNumber() {}

    /** Whether the 12 digit values (0–9) form a My Number with a correct check digit. */
    static boolean valid(int[] digits, int from) {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = digits[from + 11 - n];
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int remainder = sum % 11;
        int check = remainder <= 1 ? 0 : 11 - remainder;
        return digits[from + 11] == check;
    }
}
