package dev.todoke.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A structured header value such as Content-Type or Content-Disposition: a lower-case base value and its
 * parameters (lower-case names). RFC 2231 continuations and charsets are assembled; quoted strings are
 * unquoted; RFC 2047 words in values are left for the caller (see {@link #decodedParam(String)}).
 */
record HeaderParams(String value, Map<String, String> params) {

    static final HeaderParams EMPTY = new HeaderParams("", Map.of());

    static HeaderParams parse(String raw) {
        if (raw == null) {
            return EMPTY;
        }
        int semi = indexOfUnquoted(raw, 0);
        String value = stripComments(raw.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> sections = new LinkedHashMap<>();
        int i = semi;
        int n = raw.length();
        while (i < n) {
            i++; // skip ';'
            while (i < n && (Character.isWhitespace(raw.charAt(i)) || raw.charAt(i) == ';')) {
                i++;
            }
            int eq = i;
            while (eq < n && raw.charAt(eq) != '=' && raw.charAt(eq) != ';') {
                eq++;
            }
            if (eq >= n || raw.charAt(eq) == ';') {
                i = eq;
                continue;
            }
            String name = raw.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int v = eq + 1;
            while (v < n && (raw.charAt(v) == ' ' || raw.charAt(v) == '\t')) {
                v++;
            }
            String paramValue;
            if (v < n && raw.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                int j = v + 1;
                while (j < n && raw.charAt(j) != '"') {
                    char c = raw.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = raw.charAt(++j);
                    }
                    sb.append(c);
                    j++;
                }
                paramValue = sb.toString();
                i = indexOfUnquoted(raw, Math.min(j + 1, n));
            } else {
                int end = indexOfUnquoted(raw, v);
                paramValue = raw.substring(v, end).trim();
                if (paramValue.length() >= 4 && paramValue.startsWith("\\\"") && paramValue.endsWith("\\\"")) {
                    paramValue =
                            paramValue.substring(2, paramValue.length() - 2); // boundary=\"x\" as some tools write it
                }
                i = end;
            }
            addParam(name, paramValue, plain, sections);
        }
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : sections.entrySet()) {
            plain.put(e.getKey(), assemble(e.getValue()));
        }
        return new HeaderParams(value, plain);
    }

    private static void addParam(
            String name, String value, Map<String, String> plain, Map<String, TreeMap<Integer, String[]>> sections) {
        if (name.isEmpty()) {
            return;
        }
        int star = name.indexOf('*');
        if (star < 0) {
            plain.putIfAbsent(name, value);
            return;
        }
        String base = name.substring(0, star);
        String rest = name.substring(star + 1);
        boolean encoded = rest.endsWith("*") || rest.isEmpty();
        String number = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
        int index;
        if (number.isEmpty()) {
            index = 0;
        } else {
            try {
                index = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                return;
            }
            if (index < 0 || index > 10_000) {
                return;
            }
        }
        sections.computeIfAbsent(base, k -> new TreeMap<>())
                .putIfAbsent(index, new String[] {value, encoded ? "*" : ""});
    }

    /** Joins RFC 2231 sections: the first encoded one names the charset; bytes are joined, then decoded. */
    private static String assemble(TreeMap<Integer, String[]> parts) {
        Charset charset = null;
        boolean first = true;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String[] part : parts.values()) {
            String text = part[0];
            boolean encoded = !part[1].isEmpty();
            if (encoded && first) {
                int q1 = text.indexOf('\'');
                int q2 = q1 < 0 ? -1 : text.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    charset = Charsets.lookup(text.substring(0, q1));
                    text = text.substring(q2 + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(text, bytes);
            } else {
                // a decode-only charset (UTF-7) cannot encode the plain section: its ASCII is the same in UTF-8
                bytes.writeBytes(
                        text.getBytes(charset == null || !charset.canEncode() ? StandardCharsets.UTF_8 : charset));
            }
        }
        byte[] all = bytes.toByteArray();
        if (charset == null) {
            return Charsets.decodeUndeclared(all, 0, all.length);
        }
        return new String(all, charset);
    }

    private static void percentDecode(String text, ByteArrayOutputStream out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%'
                    && i + 2 < text.length()
                    && EncodedWords.hex(text.charAt(i + 1)) >= 0
                    && EncodedWords.hex(text.charAt(i + 2)) >= 0) {
                out.write(EncodedWords.hex(text.charAt(i + 1)) * 16 + EncodedWords.hex(text.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static int indexOfUnquoted(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return s.length();
    }

    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    String param(String name) {
        return params.get(name);
    }

    /** A parameter with RFC 2047 words decoded too (mailers put them even inside quoted strings). */
    String decodedParam(String name) {
        String raw = params.get(name);
        return raw == null ? null : EncodedWords.decode(Charsets.rawIso2022Jp(raw));
    }
}
