package dev.todoke.transfer;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The search keys written beside a message and its links (schema V5): addresses lowercased with their
 * domain apart, and the subject normalised (NFKC, lowercase, runs of white space as one space) with its
 * distinct pairs of neighbouring characters, the {@code message_subject_gram} rows. Queries go through
 * the same functions, so that both sides agree. Stateless.
 */
final class SearchKeys {

    /** The shortest subject query (in characters): one pair. */
    static final int MIN_SUBJECT_QUERY = 2;

    private SearchKeys() {}

    /** An address as searched: lowercase, trimmed. Null stays null. */
    static String address(String address) {
        return address == null ? null : address.strip().toLowerCase(Locale.ROOT);
    }

    /** The domain of an address (after its last {@code @}), lowercase; empty without one. */
    static String domain(String address) {
        if (address == null) {
            return "";
        }
        String key = address(address);
        int at = key.lastIndexOf('@');
        return at < 0 ? "" : key.substring(at + 1);
    }

    /** A subject as searched: NFKC (full-width letters as ASCII), lowercase, white space collapsed. */
    static String subject(String subject) {
        if (subject == null) {
            return null;
        }
        String normal = Normalizer.normalize(subject, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return normal.strip().replaceAll("\\s+", " ");
    }

    /** The distinct pairs of neighbouring code points of a normalised subject, in order of appearance. */
    static Set<String> grams(String subjectKey) {
        Set<String> grams = new LinkedHashSet<>();
        if (subjectKey == null) {
            return grams;
        }
        int[] points = subjectKey.codePoints().toArray();
        for (int i = 0; i + 1 < points.length; i++) {
            grams.add(new String(points, i, 2));
        }
        return grams;
    }
}
