package dev.todoke.mime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits of a header section for the copy, as a list of fields to write: original {@link HeaderField}s
 * (copied from the spool file), new lines as Strings (without CRLF) and new complete fields as
 * {@code byte[]} (folded, with CRLF). Stateless.
 */
final class HeaderEdits {

    private HeaderEdits() {}

    /**
     * The top-level header section: added headers, then the top's fields minus dropped ones. When the
     * body entity is not the top (a wrapper removed), the top's Content-* fields give way to the body
     * entity's. {@code noContent} drops all Content-* fields (the caller writes new ones).
     */
    static List<Object> topFields(Part root, RewriteSpec spec, Part body, boolean noContent, String[] replacement) {
        List<Object> fields = new ArrayList<>(spec.headersToAdd());
        boolean unwrapped = body != root;
        for (HeaderField f : root.fields) {
            String lower = f.lowerName();
            if (spec.dropHeader().test(lower)) {
                continue;
            }
            if (lower.startsWith("content-") && (noContent || unwrapped)) {
                continue;
            }
            fields.add(f);
        }
        if (unwrapped && !noContent) {
            for (HeaderField f : body.fields) {
                if (f.lowerName().startsWith("content-")) {
                    fields.add(f);
                }
            }
        }
        if (replacement != null) {
            fields = replace(fields, replacement[0], replacement[1]);
            addMimeVersion(fields);
        }
        return fields;
    }

    /**
     * The top-level fields of a forced-BCC copy ({@link RewriteSpec#onlyRecipient()}): To, Cc and Bcc
     * replaced; the fields as they were without one.
     */
    static List<Object> addresses(List<Object> fields, RewriteSpec spec, SpoolCopier copier) throws IOException {
        return spec.onlyRecipient() == null
                ? fields
                : AddressHeaders.onlyRecipient(fields, spec.onlyRecipient(), copier);
    }

    /** Writes the fields: originals copied (folded again when too long), Strings with CRLF, bytes as they are. */
    static void write(List<Object> fields, SpoolCopier copier) throws IOException {
        for (Object f : fields) {
            if (f instanceof HeaderField h) {
                copier.field(h.start(), h.end());
            } else if (f instanceof byte[] bytes) {
                copier.out().write(bytes);
            } else {
                copier.ascii(f + "\r\n");
            }
        }
    }

    static void addMimeVersion(List<Object> fields) {
        for (Object f : fields) {
            if (f instanceof HeaderField h && h.lowerName().equals("mime-version")) {
                return;
            }
            if (f instanceof String s && s.regionMatches(true, 0, "mime-version:", 0, 13)) {
                return;
            }
        }
        fields.add("MIME-Version: 1.0");
    }

    /** Puts a new Content-Type and/or Content-Transfer-Encoding (null: keep the old one) in place. */
    static List<Object> replace(List<Object> fields, String contentType, String transferEncoding) {
        List<Object> result = new ArrayList<>(fields.size() + 2);
        boolean placed = false;
        for (Object f : fields) {
            if (f instanceof HeaderField h) {
                String lower = h.lowerName();
                boolean type = lower.equals("content-type") && contentType != null;
                boolean cte = lower.equals("content-transfer-encoding") && transferEncoding != null;
                if (type || cte) {
                    if (!placed) {
                        add(result, contentType, transferEncoding);
                        placed = true;
                    }
                    continue;
                }
            }
            result.add(f);
        }
        if (!placed) {
            add(result, contentType, transferEncoding);
        }
        return result;
    }

    static void add(List<Object> fields, String contentType, String transferEncoding) {
        if (contentType != null) {
            fields.add(contentType);
        }
        if (transferEncoding != null) {
            fields.add(transferEncoding);
        }
    }
}
