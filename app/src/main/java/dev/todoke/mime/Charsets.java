package dev.todoke.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Charset names as mailers write them, mapped to what Java decodes best. */
final class Charsets {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("shift_jis", "windows-31j"),
            Map.entry("shift-jis", "windows-31j"),
            Map.entry("sjis", "windows-31j"),
            Map.entry("x-sjis", "windows-31j"),
            Map.entry("ms_kanji", "windows-31j"),
            Map.entry("cp932", "windows-31j"),
            Map.entry("ms932", "windows-31j"),
            Map.entry("iso-2022-jp", "x-windows-50221"),
            Map.entry("csiso2022jp", "x-windows-50221"),
            Map.entry("euc-jp", "x-eucJP-Open"),
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("gb2312", "GBK"),
            Map.entry("utf8", "UTF-8"),
            Map.entry("latin1", "ISO-8859-1"));

    private static final java.util.Set<String> UTF7_NAMES =
            java.util.Set.of("utf-7", "utf7", "unicode-1-1-utf-7", "x-utf-7", "csunicode11utf7");

    private Charsets() {}

    /**
     * Decodes raw ISO-2022-JP escape sequences left in a header value (old Japanese mailers write names
     * that way, without encoded-words); text without ESC is returned as it is.
     */
    static String rawIso2022Jp(String text) {
        if (text == null || text.indexOf('\u001b') < 0) {
            return text;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return text;
            }
        }
        Charset jis = lookup("iso-2022-jp");
        return jis == null ? text : new String(text.getBytes(StandardCharsets.ISO_8859_1), jis);
    }

    /** The charset for a MIME charset name, or null when Java has none by that name. */
    static Charset lookup(String name) {
        if (name == null) {
            return null;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        int star = key.indexOf('*'); // RFC 2231 language suffix in encoded-words
        if (star >= 0) {
            key = key.substring(0, star);
        }
        if (UTF7_NAMES.contains(key)) {
            return Utf7Charset.INSTANCE;
        }
        String mapped = ALIASES.get(key);
        for (String candidate : mapped == null ? new String[] {key} : new String[] {mapped, key}) {
            try {
                if (Charset.isSupported(candidate)) {
                    return Charset.forName(candidate);
                }
            } catch (IllegalArgumentException e) {
                // illegal name: try the next one
            }
        }
        return null;
    }

    /** True for names that promise plain ASCII, which mailers often break with 8-bit text. */
    static boolean isAsciiOrAbsent(String name) {
        if (name == null || name.isBlank()) {
            return true;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        return key.equals("us-ascii") || key.equals("ascii") || key.equals("ansi_x3.4-1968");
    }

    /** Decodes bytes whose charset nobody declared: UTF-8 when valid, else Shift_JIS, else windows-1252. */
    static String decodeUndeclared(byte[] bytes, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        for (Charset charset : new Charset[] {StandardCharsets.UTF_8, lookup("shift_jis")}) {
            if (charset == null) {
                continue;
            }
            String strict = strict(charset, bytes, offset, length);
            if (strict != null) {
                return strict;
            }
        }
        return new String(bytes, offset, length, WINDOWS_1252);
    }

    /** Decodes strictly; null when the bytes are not valid in that charset. */
    static String strict(Charset charset, byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
