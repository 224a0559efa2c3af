package dev.todoke.inspection;

/**
 * The text of HTML as it streams by: markup between {@code <} and {@code >} is replaced by one space (so
 * that digits in two cells do not join into one number); line breaks inside tags are kept for line
 * numbers. Character references are not decoded. Not thread-safe: one per body.
 */
final class HtmlText {

    private final TextScanner scanner;
    private final StringBuilder out = new StringBuilder(8192);
    private boolean inTag;

    HtmlText(TextScanner scanner) {
        this.scanner = scanner;
    }

    void accept(char[] text, int off, int len) {
        out.setLength(0);
        for (int i = off; i < off + len; i++) {
            char c = text[i];
            if (inTag) {
                if (c == '>') {
                    inTag = false;
                } else if (c == '\n') {
                    out.append('\n');
                }
            } else if (c == '<') {
                inTag = true;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        scanner.accept(out);
    }
}
