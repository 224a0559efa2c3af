package dev.todoke.mime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The structure of a spooled message: top-level headers, security, attachments, and the byte offsets
 * {@link MessageRewriter} needs. Holds no part body in memory; the spool file must stay in place while
 * this is used. Immutable and safe to share between threads.
 */
public final class ParsedMessage {

    private final Path source;
    private final Part root;
    private final Security security;
    private final List<Attachment> attachments;

    ParsedMessage(Path source, Part root, Security security, List<Part> attachmentParts) {
        this.source = source;
        this.root = root;
        this.security = security;
        List<Attachment> list = new ArrayList<>(attachmentParts.size());
        if (security != Security.ENCRYPTED) {
            for (Part part : attachmentParts) {
                list.add(new PartAttachment(source, part, list.size()));
            }
        }
        this.attachments = List.copyOf(list);
    }

    /** The spool file this was parsed from. */
    public Path source() {
        return source;
    }

    public Security security() {
        return security;
    }

    /** Every attachment in document order; empty for {@link Security#ENCRYPTED} mail. */
    public List<Attachment> attachments() {
        return attachments;
    }

    public boolean hasAttachments() {
        return !attachments.isEmpty();
    }

    /** The first top-level header field of that name (case-insensitive), unfolded and RFC 2047-decoded. */
    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (HeaderField field : root.fields) {
            if (field.lowerName().equals(lower)) {
                return Optional.of(EncodedWords.decode(field.value()));
            }
        }
        return Optional.empty();
    }

    public String subject() {
        return header("Subject").orElse("");
    }

    public String from() {
        return header("From").orElse("");
    }

    public String messageId() {
        return header("Message-ID").orElse("");
    }

    Part root() {
        return root;
    }
}
