package dev.todoke;

import java.util.Locale;

/**
 * What Todoke reads from an envelope address (RFC 5321 path without angle brackets). Pure functions,
 * thread-safe.
 */
public final class MailAddresses {

    private MailAddresses() {}

    /**
     * The domain after the last {@code @}, lower case; empty when there is none (the null sender, a bare
     * local part).
     */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * True when the local part (everything before the last {@code @}, quoted or not) holds {@code @},
     * {@code %} or {@code !}: old source-routing forms such as {@code bob%evil.example@corp.example},
     * {@code "eve@evil.example"@corp.example}, {@code evil!bob@corp.example} or {@code
     * @relay:bob@corp.example}, which a downstream relay may route to another host than the domain says.
     */
    public static boolean hasRoutedLocalPart(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return false;
        }
        String local = address.substring(0, at);
        return local.indexOf('@') >= 0 || local.indexOf('%') >= 0 || local.indexOf('!') >= 0;
    }
}
