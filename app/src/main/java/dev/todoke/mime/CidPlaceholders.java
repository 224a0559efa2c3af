package dev.todoke.mime;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes HTML through and replaces references to parts that became links: an {@code <img>} whose source
 * is such a {@code cid:} becomes a small placeholder naming the file; any other {@code cid:} reference to
 * such a part (a background, a CSS url) becomes {@code about:blank}. Works tag by tag on the stream; a tag
 * longer than 64 KiB passes unchanged. Not thread safe; {@link #close()} flushes but does not close the
 * target.
 */
final class CidPlaceholders extends Writer {

    private static final int MAX_TAG = 64 * 1024;
    private static final Pattern IMG = Pattern.compile("<img\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SRC =
            Pattern.compile("\\ssrc\\s*=\\s*[\"']?\\s*cid:([^\"'\\s>]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CID = Pattern.compile("cid:([^\"'\\s)>]+)", Pattern.CASE_INSENSITIVE);

    private final Writer out;
    private final Map<String, String> linked;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder tag = new StringBuilder();
    private boolean inTag;

    /** {@code linked}: Content-ID (lower case) of each part that became a link, to its file name. */
    CidPlaceholders(Writer out, Map<String, String> linked) {
        this.out = out;
        this.linked = linked;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (!inTag) {
                if (c == '<') {
                    out.append(text);
                    text.setLength(0);
                    inTag = true;
                    tag.append(c);
                } else {
                    text.append(c);
                }
                continue;
            }
            tag.append(c);
            if (c == '>') {
                out.write(replace(tag.toString()));
                tag.setLength(0);
                inTag = false;
            } else if (tag.length() > MAX_TAG) {
                out.append(tag);
                tag.setLength(0);
                inTag = false;
            }
        }
        out.append(text);
        text.setLength(0);
    }

    private String replace(String html) {
        if (html.toLowerCase(java.util.Locale.ROOT).indexOf("cid:") < 0) {
            return html;
        }
        if (IMG.matcher(html).lookingAt()) {
            Matcher src = SRC.matcher(html);
            if (src.find()) {
                String name = linked.get(HtmlReferences.normalize(src.group(1)));
                if (name != null && onlyLinked(html)) {
                    return placeholder(name);
                }
            }
        }
        Matcher cid = CID.matcher(html);
        StringBuilder result = new StringBuilder();
        while (cid.find()) {
            boolean gone = linked.containsKey(HtmlReferences.normalize(cid.group(1)));
            cid.appendReplacement(result, Matcher.quoteReplacement(gone ? "about:blank" : cid.group()));
        }
        cid.appendTail(result);
        return result.toString();
    }

    /**
     * Whether every {@code cid:} reference in the tag names a part that became a link: only then may the
     * whole tag give way to the placeholder, else an image that stays (named by a style or a second
     * source in the same tag) would lose the reference that keeps it inline.
     */
    private boolean onlyLinked(String html) {
        Matcher cid = CID.matcher(html);
        while (cid.find()) {
            if (!linked.containsKey(HtmlReferences.normalize(cid.group(1)))) {
                return false;
            }
        }
        return true;
    }

    static String placeholder(String fileName) {
        return "<span style=\"display:inline-block;border:1px solid #999;border-radius:3px;padding:1px 6px;"
                + "font-size:small;color:#333\">[&#128206; " + escape(fileName) + "]</span>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.append(tag);
        tag.setLength(0);
        inTag = false;
        out.flush();
    }
}
