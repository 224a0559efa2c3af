package dev.todoke.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded-words, decoded leniently: adjacent words in the same charset are joined at the byte
 * level before decoding (so a character split across two words survives), words glued to text and
 * words inside quoted strings are decoded too, and a word in an unknown charset is left as it is.
 */
final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?]*)\\?=");

    private EncodedWords() {}

    static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text == null ? "" : text;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = WORD.matcher(text);
        int last = 0;
        boolean previousWasWord = false;
        Charset pendingCharset = null;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String gap = text.substring(last, m.start());
            Charset charset = Charsets.lookup(m.group(1));
            byte[] bytes = charset == null ? null : wordBytes(m.group(2), m.group(3));
            if (bytes == null) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(gap).append(m.group());
                previousWasWord = false;
                last = m.end();
                continue;
            }
            boolean joinable = previousWasWord && gap.isBlank();
            if (!joinable || !charset.equals(pendingCharset)) {
                flush(out, pending, pendingCharset);
                if (!joinable) {
                    out.append(gap);
                }
                pendingCharset = charset;
            }
            pending.writeBytes(bytes);
            previousWasWord = true;
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (pending.size() > 0 && charset != null) {
            out.append(new String(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    private static byte[] wordBytes(String encoding, String text) {
        if (encoding.toUpperCase(Locale.ROOT).equals("B")) {
            return base64(text);
        }
        return qDecode(text);
    }

    private static byte[] base64(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            }
        }
        int usable = clean.length() - clean.length() % 4;
        if (clean.length() % 4 > 1) {
            usable = clean.length();
        }
        try {
            return Base64.getDecoder().decode(clean.substring(0, usable));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] qDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '='
                    && i + 2 < text.length()
                    && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                out.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else if (c < 0x100) {
                out.write(c);
            } else {
                return null;
            }
        }
        return out.toByteArray();
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
