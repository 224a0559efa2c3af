package dev.todoke.mime;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The structure of a spooled message: top-level headers, security, attachments, and the byte offsets
 * {@link MessageRewriter} needs. Holds no part body in memory; the spool file must stay in place while
 * this is used. For opaque signed-data, {@link #source()} is a file the parser derived (the signed
 * content under the top-level header fields): {@link #close()} deletes it. Immutable and safe to share
 * between threads.
 */
public final class ParsedMessage implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Path source;
    private final Cleaner.Cleanable derivedFile;
    private final Part root;
    private final Security security;
    private final List<Attachment> attachments;
    private final List<TextBody> textBodies;

    /** {@code derived}: a file the parser made (unwrapped signed-data) that goes with this, or null. */
    ParsedMessage(Path source, Part root, Security security, List<Part> attachmentParts, Path derived) {
        this.source = source;
        this.derivedFile = derived == null ? null : CLEANER.register(this, new Delete(derived));
        this.root = root;
        this.security = security;
        List<Attachment> list = new ArrayList<>(attachmentParts.size());
        if (security != Security.ENCRYPTED) {
            for (Part part : attachmentParts) {
                list.add(new PartAttachment(source, part, list.size()));
            }
        }
        this.attachments = List.copyOf(list);
        List<TextBody> bodies = new ArrayList<>();
        if (security != Security.ENCRYPTED) {
            collectTextBodies(source, root, bodies);
        }
        this.textBodies = List.copyOf(bodies);
    }

    private static void collectTextBodies(Path source, Part p, List<TextBody> into) {
        if (p.children.isEmpty()) {
            String type = p.baseType();
            if (p.role == Part.Role.BODY && (type.equals("text/plain") || type.equals("text/html"))) {
                into.add(new PartTextBody(source, p, into.size()));
            }
            return;
        }
        for (Part child : p.children) {
            collectTextBodies(source, child, into);
        }
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

    /**
     * The text/plain and text/html parts that stay in the mail (not attachments), in document order;
     * empty for {@link Security#ENCRYPTED} mail.
     */
    public List<TextBody> textBodies() {
        return textBodies;
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

    /**
     * Deletes the file the parser derived from the spool file (the content of opaque signed-data), if any;
     * attachments and the rewriter cannot be used after that. Idempotent. Without a call, the file is
     * deleted when this object is garbage collected.
     */
    @Override
    public void close() {
        if (derivedFile != null) {
            derivedFile.clean();
        }
    }

    /** Deletes one file; holds no reference to the message. */
    private record Delete(Path file) implements Runnable {
        @Override
        public void run() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file in the spool directory: the next cleanup of that directory takes it
            }
        }
    }
}
