package dev.todoke.mime;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What {@link MessageRewriter} changes besides removing attachments.
 *
 * @param noticeText plain-text notice put at the top of the text body
 * @param noticeHtml HTML fragment put at the start of the HTML body
 * @param headersToAdd complete header lines without CRLF ({@code X-Todoke-Kind: notice}), put at the top
 * @param dropHeader called with each top-level header name in lower case; true removes the field
 * @param onlyRecipient forced BCC: the copy's To, Cc and Bcc show only this recipient (see {@link
 *     OnlyRecipient}); null leaves them as they were
 */
public record RewriteSpec(
        String noticeText,
        String noticeHtml,
        List<String> headersToAdd,
        Predicate<String> dropHeader,
        OnlyRecipient onlyRecipient) {

    /** A spec that leaves the address fields as they were. */
    public RewriteSpec(String noticeText, String noticeHtml, List<String> headersToAdd, Predicate<String> dropHeader) {
        this(noticeText, noticeHtml, headersToAdd, dropHeader, null);
    }

    public RewriteSpec {
        noticeText = Objects.requireNonNullElse(noticeText, "");
        noticeHtml = Objects.requireNonNullElse(noticeHtml, "");
        headersToAdd = List.copyOf(Objects.requireNonNullElse(headersToAdd, List.of()));
        dropHeader = Objects.requireNonNullElse(dropHeader, name -> false);
        for (String line : headersToAdd) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf(':') <= 0) {
                throw new IllegalArgumentException("a header to add must be one 'Name: value' line without CR/LF");
            }
        }
    }
}
