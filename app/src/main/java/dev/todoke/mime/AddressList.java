package dev.todoke.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC 5322 address list (the value of a To or Cc field) into its mailboxes, keeping each
 * mailbox's text exactly as written: display names, quoted strings (with commas in them), comments,
 * encoded words and route addresses are left as they are; groups ({@code name: a, b;}) give their
 * members. The input is the unfolded field value with one char per octet (ISO-8859-1), so that the
 * text of a mailbox written back gives the original octets. Lenient like mail readers: an unclosed quote,
 * comment or angle bracket ends at the end of the value. Stateless.
 */
final class AddressList {

    /**
     * One mailbox.
     *
     * @param raw the mailbox as written, trimmed, one char per octet
     * @param address its addr-spec without comments and white space outside quotes, read as UTF-8
     */
    record Mailbox(String raw, String address) {}

    private AddressList() {}

    /** The mailboxes of an address list in order; items without an {@code @} (no address) are skipped. */
    static List<Mailbox> parse(String value) {
        List<Mailbox> result = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == '"') {
                i = skipQuoted(value, i);
            } else if (c == '(') {
                i = skipComment(value, i);
            } else if (c == '<') {
                i = skipUntil(value, i, '>');
            } else if (c == '[') {
                i = skipUntil(value, i, ']');
            } else {
                if (c == ',' || c == ';') {
                    add(result, value.substring(start, i));
                    start = i + 1;
                } else if (c == ':') {
                    start = i + 1; // a group's display name: its members follow
                }
                i++;
            }
        }
        add(result, value.substring(start));
        return result;
    }

    private static void add(List<Mailbox> result, String item) {
        String raw = item.trim();
        if (raw.isEmpty()) {
            return;
        }
        String spec = raw;
        int angle = topLevel(raw, '<');
        if (angle >= 0) {
            int close = skipUntil(raw, angle, '>') - 1;
            spec = raw.substring(angle + 1, Math.min(Math.max(close, angle + 1), raw.length()));
            int route = spec.startsWith("@") ? topLevel(spec, ':') : -1;
            if (route >= 0) {
                spec = spec.substring(route + 1);
            }
        }
        String address = withoutCfws(spec);
        if (address.indexOf('@') > 0) {
            byte[] octets = address.getBytes(StandardCharsets.ISO_8859_1);
            result.add(new Mailbox(raw, new String(octets, StandardCharsets.UTF_8)));
        }
    }

    /** The index of {@code wanted} outside quotes and comments, or -1. */
    private static int topLevel(String s, char wanted) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == wanted) {
                return i;
            }
            if (c == '"') {
                i = skipQuoted(s, i);
            } else if (c == '(') {
                i = skipComment(s, i);
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The text without comments and without white space outside quoted strings. */
    private static String withoutCfws(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                int end = skipQuoted(s, i);
                out.append(s, i, end);
                i = end;
            } else if (c == '(') {
                i = skipComment(s, i);
            } else {
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    out.append(c);
                }
                i++;
            }
        }
        return out.toString();
    }

    /** The index after the quoted string that starts at {@code i} (backslash escapes honoured). */
    private static int skipQuoted(String s, int i) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                return j + 1;
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** The index after the (possibly nested) comment that starts at {@code i}. */
    private static int skipComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** The index after {@code close}, quoted strings inside skipped (for angle addresses, domain literals). */
    private static int skipUntil(String s, int i, char close) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '"') {
                j = skipQuoted(s, j);
                continue;
            }
            if (c == close) {
                return j + 1;
            }
            j++;
        }
        return s.length();
    }
}
