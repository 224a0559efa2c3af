package dev.todoke.mime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code cid:} references an HTML body renders: image sources ({@code src}, {@code background},
 * {@code poster}) and CSS {@code url(cid:...)} in style attributes and style elements. References in
 * comments, in scripts and as link targets ({@code href}) render nothing and are not counted. Reads at most
 * {@link #MAX_CHARS} characters: a reference after that is not seen, so its part becomes a link (the safe
 * side). Stateless and thread safe.
 */
final class HtmlReferences {

    static final int MAX_CHARS = 8 * 1024 * 1024;
    private static final int MAX_REFERENCES = 10_000;

    private static final Pattern COMMENT = Pattern.compile("<!--.*?(?:-->|\\z)", Pattern.DOTALL);
    private static final Pattern SCRIPT =
            Pattern.compile("<script\\b.*?(?:</script\\s*>|\\z)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE =
            Pattern.compile("<style\\b[^>]*>(.*?)(?:</style\\s*>|\\z)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z][^>]*>");
    private static final Pattern ATTRIBUTE =
            Pattern.compile("([^\\s=/>\"']+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))");
    private static final Pattern CSS_URL =
            Pattern.compile("url\\(\\s*[\"']?\\s*cid:([^\"')\\s]+)", Pattern.CASE_INSENSITIVE);

    private HtmlReferences() {}

    /**
     * The Content-IDs (lower case, %-escapes decoded) rendered by the HTML read from {@code in}, the body's
     * characters in its charset, as the rewriter reads them too (a reference visible only in another reading
     * of the bytes, e.g. ASCII inside UTF-16, renders nothing).
     */
    static Set<String> rendered(Reader in) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[16 * 1024];
        int n;
        while (text.length() < MAX_CHARS
                && (n = in.read(buffer, 0, Math.min(buffer.length, MAX_CHARS - text.length()))) > 0) {
            text.append(buffer, 0, n);
        }
        String html = text.toString();
        html = COMMENT.matcher(html).replaceAll(" ");
        html = SCRIPT.matcher(html).replaceAll(" ");
        Set<String> ids = new HashSet<>();
        Matcher style = STYLE.matcher(html);
        while (style.find()) {
            css(style.group(1), ids);
        }
        Matcher tag = TAG.matcher(html);
        while (tag.find() && ids.size() < MAX_REFERENCES) {
            Matcher attribute = ATTRIBUTE.matcher(tag.group());
            while (attribute.find()) {
                String name = attribute.group(1).toLowerCase(Locale.ROOT);
                String value = value(attribute);
                if (name.equals("style")) {
                    css(value, ids);
                } else if (name.equals("src") || name.equals("background") || name.equals("poster")) {
                    String v = value.strip();
                    if (v.regionMatches(true, 0, "cid:", 0, 4)) {
                        add(v.substring(4), ids);
                    }
                }
            }
        }
        return ids;
    }

    static String value(Matcher attribute) {
        for (int g = 2; g <= 4; g++) {
            if (attribute.group(g) != null) {
                return attribute.group(g);
            }
        }
        return "";
    }

    private static void css(String css, Set<String> ids) {
        Matcher url = CSS_URL.matcher(css);
        while (url.find()) {
            add(url.group(1), ids);
        }
    }

    private static void add(String raw, Set<String> ids) {
        String id = normalize(raw);
        if (!id.isEmpty()) {
            ids.add(id);
        }
    }

    /** A cid: URL's id as a Content-ID to compare with: %-escapes decoded (RFC 2392), lower case. */
    static String normalize(String raw) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%'
                    && i + 2 < raw.length()
                    && EncodedWords.hex(raw.charAt(i + 1)) >= 0
                    && EncodedWords.hex(raw.charAt(i + 2)) >= 0) {
                bytes.write(EncodedWords.hex(raw.charAt(i + 1)) * 16 + EncodedWords.hex(raw.charAt(i + 2)));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return ContentFields.normalizeId(bytes.toString(StandardCharsets.UTF_8)).toLowerCase(Locale.ROOT);
    }
}
