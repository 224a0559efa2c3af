package dev.todoke.inspection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What personal-data detection found in one text (a body or a file): per detector ({@value
 * #MY_NUMBER}, {@value #CARD_NUMBER}, or the name of an administrator's rule) how often, and on which
 * lines. Never holds what was found, only where: it can be logged, audited and shown in a receipt.
 *
 * @param hits per detector, in the order first found; only detectors that found something
 * @param coverage how much of the text was looked at
 */
public record TextFindings(Map<String, Hits> hits, Coverage coverage) {

    /** The detector name for a My Number (個人番号) with a correct check digit. */
    public static final String MY_NUMBER = "my-number";

    /** The detector name for a card number (Luhn and a known issuer prefix). */
    public static final String CARD_NUMBER = "card-number";

    /** At most this many line numbers are kept per detector. */
    public static final int MAX_LINES = 5;

    public TextFindings {
        hits = Collections.unmodifiableMap(new LinkedHashMap<>(hits));
    }

    /** Nothing found, with the given coverage. */
    public static TextFindings none(Coverage coverage) {
        return new TextFindings(Map.of(), coverage);
    }

    public boolean found() {
        return !hits.isEmpty();
    }

    /**
     * How often one detector matched and where.
     *
     * @param count the number of matches
     * @param lines the 1-based line numbers of the first {@value #MAX_LINES} matches (for a file whose
     *     text a parser extracted: lines of that text)
     */
    public record Hits(int count, List<Long> lines) {
        public Hits {
            lines = List.copyOf(lines);
        }
    }

    /** How much of a text was looked at. */
    public enum Coverage {
        /** All of it. */
        COMPLETE,
        /** The file is larger than the extraction limit: not looked at. */
        TOO_LARGE,
        /** The time limit ended the look: what was found until then is reported. */
        TIMED_OUT,
        /** The character limit ended the look: what was found until then is reported. */
        TRUNCATED,
        /** All extraction threads were busy: not looked at. */
        BUSY,
        /** A format whose text is not extracted (images, archives, unknown binaries): not looked at. */
        NOT_TEXT,
        /** The parser failed (a corrupt or password-protected file): what was found until then is reported. */
        UNREADABLE;

        /** Whether the receipt should say that the file was not (fully) text-scanned. */
        public boolean incomplete() {
            return this != COMPLETE && this != NOT_TEXT;
        }
    }
}
