package dev.todoke.tls;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/** Domain names as the TLS check handles them: ASCII (punycode), lower case, no trailing dot. */
final class Domains {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private Domains() {}

    /**
     * Returns the normalised form of a domain name.
     *
     * @throws IllegalArgumentException if it is not a host name of at least two labels
     */
    static String normalize(String domain) {
        return normalize(domain, 2);
    }

    /** As {@link #normalize(String)}, accepting names of at least {@code minLabels} labels. */
    static String normalize(String domain, int minLabels) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain is empty");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain.trim(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name: " + shorten(domain), e);
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        String[] labels = ascii.split("\\.", -1);
        boolean valid = ascii.length() <= 253
                && labels.length >= minLabels
                && !NUMERIC.matcher(labels[labels.length - 1]).matches();
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        if (!valid) {
            throw new IllegalArgumentException("not a valid domain name: " + shorten(domain));
        }
        return ascii;
    }

    /** The domain of a mail address (after the last {@code @}), normalised. */
    static String ofAddress(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not a mail address: " + shorten(String.valueOf(address)));
        }
        return normalize(address.substring(at + 1));
    }

    /** A host name as found in DNS or configuration: lower case, no trailing dot (not validated). */
    static String host(String name) {
        String h = name.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * Whether {@code host} matches {@code pattern}: the same name, or for {@code *.example.com} a name with
     * exactly one more label on the left (the MTA-STS and certificate wildcard rule).
     */
    static boolean matchesOneLabelWildcard(String pattern, String host) {
        String p = host(pattern);
        String h = host(host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(h);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
