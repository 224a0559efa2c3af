package dev.todoke.inspection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for personal data in text fed to it in chunks of any size, keeping only a bounded window:
 * numbers are read digit by digit (a run of at most {@value #MAX_RUN} digits in groups separated by
 * one space or hyphen), so a number split across two chunks is still found; the administrator's
 * patterns are matched per line, a line longer than {@value #WINDOW} characters in windows that overlap
 * by {@value #OVERLAP} (a match longer than that across a window edge is missed). Keeps counts and line
 * numbers, never the text found. Methods are synchronized: one thread feeds, another may read a
 * snapshot after a timeout.
 */
final class TextScanner {

    static final int MAX_RUN = 64;
    static final int WINDOW = 8192;
    static final int OVERLAP = 256;

    private final boolean myNumber;
    private final boolean cardNumber;
    private final Map<String, Pattern> rules;
    private final Map<String, Counter> hits = new LinkedHashMap<>();

    private long line = 1;
    private long chars;
    // the current digit run
    private final int[] digits = new int[MAX_RUN];
    private final int[] groupEnds = new int[MAX_RUN];
    private int digitCount;
    private int groupCount;
    private boolean separatorPending;
    private boolean runTooLong;
    private boolean afterWordChar;
    private long runLine;
    // the current line window for the patterns
    private final StringBuilder window = new StringBuilder();

    TextScanner(boolean myNumber, boolean cardNumber, Map<String, Pattern> rules) {
        this.myNumber = myNumber;
        this.cardNumber = cardNumber;
        this.rules = Map.copyOf(rules);
    }

    /** Whether any detector is on. */
    boolean active() {
        return myNumber || cardNumber || !rules.isEmpty();
    }

    synchronized void accept(char[] text, int off, int len) {
        for (int i = off; i < off + len; i++) {
            accept(text[i]);
        }
        chars += len;
    }

    synchronized void accept(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            accept(text.charAt(i));
        }
        chars += text.length();
    }

    /** How many characters were fed. */
    synchronized long chars() {
        return chars;
    }

    /** Ends the text: a number or a line at its very end is looked at. */
    synchronized void end() {
        endRun(false);
        matchWindow(true);
    }

    /** What was found so far. */
    synchronized Map<String, TextFindings.Hits> hits() {
        Map<String, TextFindings.Hits> result = new LinkedHashMap<>();
        hits.forEach((name, c) -> result.put(name, new TextFindings.Hits(c.count, c.lines)));
        return result;
    }

    private void accept(char c) {
        int digit = digitValue(c);
        if (digit >= 0) {
            if (runTooLong) {
                separatorPending = false;
            } else {
                if (digitCount == 0) {
                    if (afterWordChar) {
                        runTooLong = true; // glued to a word: not a number of its own
                    } else {
                        runLine = line;
                    }
                }
                if (!runTooLong) {
                    if (separatorPending) {
                        groupEnds[groupCount++] = digitCount;
                        separatorPending = false;
                    }
                    if (digitCount == MAX_RUN || groupCount >= MAX_RUN - 1) {
                        runTooLong = true;
                    } else {
                        digits[digitCount++] = digit;
                    }
                }
            }
        } else if (isSeparator(c) && (digitCount > 0 || runTooLong) && !separatorPending) {
            separatorPending = true;
        } else {
            endRun(isWordChar(c));
        }
        if (!rules.isEmpty()) {
            if (c == '\n') {
                matchWindow(true);
            } else {
                window.append(c);
                if (window.length() >= WINDOW) {
                    matchWindow(false);
                }
            }
        }
        if (c == '\n') {
            line++;
        }
        if (digit < 0) {
            afterWordChar = isWordChar(c);
        }
    }

    private void endRun(boolean gluedToWord) {
        if (digitCount > 0 && !runTooLong && !(gluedToWord && !separatorPending)) {
            groupEnds[groupCount++] = digitCount;
            evaluateRun();
        }
        digitCount = 0;
        groupCount = 0;
        separatorPending = false;
        runTooLong = false;
    }

    /**
     * The whole run; a run too long to be one number (numbers only separated by spaces, as in a table),
     * the longest runs of whole groups from left to right. A run of one number's length that is not
     * valid is not split (the first 12 digits of a card number are no My Number).
     */
    private void evaluateRun() {
        if (digitCount <= CardNumbers.MAX_LENGTH) {
            matches(0, digitCount);
            return;
        }
        int start = 0;
        while (start < groupCount) {
            int from = start == 0 ? 0 : groupEnds[start - 1];
            int matchedUpTo = -1;
            for (int end = groupCount - 1; end >= start && matchedUpTo < 0; end--) {
                int length = groupEnds[end] - from;
                if (matches(from, length)) {
                    matchedUpTo = end;
                }
            }
            start = matchedUpTo < 0 ? start + 1 : matchedUpTo + 1;
        }
    }

    private boolean matches(int from, int length) {
        if (myNumber && length == MyNumber.LENGTH && MyNumber.valid(digits, from)) {
            count(TextFindings.MY_NUMBER, runLine);
            return true;
        }
        if (cardNumber && CardNumbers.valid(digits, from, length)) {
            count(TextFindings.CARD_NUMBER, runLine);
            return true;
        }
        return false;
    }

    private void matchWindow(boolean lineEnds) {
        if (rules.isEmpty() || window.isEmpty()) {
            window.setLength(0);
            return;
        }
        int countBefore = lineEnds ? window.length() : window.length() - OVERLAP;
        CharSequence text = new InterruptibleText(window);
        for (Map.Entry<String, Pattern> rule : rules.entrySet()) {
            Matcher m = rule.getValue().matcher(text);
            while (m.find() && m.start() < countBefore) {
                count(rule.getKey(), line);
                if (m.end() == m.start()) {
                    break; // an empty pattern matches everywhere: count it once
                }
            }
        }
        if (lineEnds) {
            window.setLength(0);
        } else {
            window.delete(0, window.length() - OVERLAP);
        }
    }

    private void count(String name, long at) {
        Counter c = hits.computeIfAbsent(name, n -> new Counter());
        c.count++;
        if (c.lines.size() < TextFindings.MAX_LINES) {
            c.lines.add(at);
        }
    }

    /** 0–9 for ASCII and full-width digits, else -1. */
    static int digitValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= '\uFF10' && c <= '\uFF19') {
            return c - '\uFF10';
        }
        return -1;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '\u3000' || c == '\uFF0D' || (c >= '\u2010' && c <= '\u2015');
    }

    /** ASCII letters and the underscore: a number glued to them is part of an identifier. */
    private static boolean isWordChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    /** A match counter; lines up to {@link TextFindings#MAX_LINES}. */
    private static final class Counter {
        private int count;
        private final List<Long> lines = new ArrayList<>();
    }

    /** Text whose reading stops with an exception once the thread is interrupted (a runaway pattern). */
    private record InterruptibleText(CharSequence text) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ScanInterruptedException();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new InterruptibleText(text.subSequence(start, end));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Thrown out of a pattern match when the scanning thread is interrupted. */
    static final class ScanInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScanInterruptedException() {
            super("text scan interrupted", null, false, false);
        }
    }
}
