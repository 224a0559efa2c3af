package dev.todoke.mime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Names the attachments of one message: the declared name ({@code filename}, else {@code name}; path
 * parts removed), for an attached message without one its Subject with {@code .eml}, else a generated
 * {@code attachment-N.ext}. Stateless.
 */
final class AttachmentNames {

    private AttachmentNames() {}

    static void name(Path file, List<Part> attachments, MimeLimits limits) throws IOException {
        for (int i = 0; i < attachments.size(); i++) {
            Part part = attachments.get(i);
            String name = FileNames.sanitize(part.declaredName());
            if (part.isMessage() && name == null) {
                String subject = FileNames.sanitize(attachedSubject(file, part, limits));
                name = subject == null ? null : FileNames.sanitize(subject + ".eml");
            }
            part.fileName = name != null ? name : FileNames.generated(i, part.baseType());
        }
    }

    /** The decoded Subject of an attached message, or "" when it has none. */
    private static String attachedSubject(Path file, Part part, MimeLimits limits) throws IOException {
        byte[] head = Decoding.head(file, part, limits.maxHeaderBytes());
        String text = Charsets.decodeUndeclared(head, 0, head.length);
        String[] lines = text.split("\r?\n", -1);
        StringBuilder subject = null;
        for (String line : lines) {
            if (line.isEmpty()) {
                break;
            }
            if (subject != null) {
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    subject.append(line);
                    continue;
                }
                break;
            }
            if (line.regionMatches(true, 0, "subject:", 0, 8)) {
                subject = new StringBuilder(line.substring(8));
            }
        }
        return subject == null ? "" : EncodedWords.decode(subject.toString().trim());
    }
}
