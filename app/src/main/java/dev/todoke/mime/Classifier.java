package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides the {@link Part.Role} of every entity and the message's {@link Security}, by the one attachment
 * rule (docs/gateway.md): a leaf stays in the outside copy only if it is
 *
 * <ul>
 *   <li>a body: text/plain or text/html without a file name and not {@code attachment}, or another
 *       nameless text form beside them in a multipart/alternative;
 *   <li>a calendar invitation (text/calendar) inside a multipart/alternative, not marked attachment;
 *   <li>a delivery or feedback report block inside a multipart/report (status text, no file);
 *   <li>an image/* part, not marked attachment, whose Content-ID no other part carries and a rendered
 *       {@code cid:} reference of an HTML body uses (see {@link HtmlReferences}), whose content is an image ({@link ImageSignatures})
 *       and whose decoded size is at most {@link MimeLimits#maxInlineImageBytes()}.
 * </ul>
 *
 * Everything else, whatever its disposition or Content-ID, becomes an attachment. One instance per parse.
 */
final class Classifier {

    private static final Set<String> REPORT_TYPES = Set.of(
            "message/delivery-status",
            "message/disposition-notification",
            "message/feedback-report",
            "message/global-delivery-status",
            "message/global-disposition-notification",
            "message/global-headers",
            "message/rfc822-headers",
            "text/rfc822-headers");

    private final Path file;
    private final MimeLimits limits;
    private final Set<String> renderedCids = new HashSet<>();
    private final Set<String> contentIds = new HashSet<>();
    private final Set<String> sharedContentIds = new HashSet<>();
    Security security = Security.NONE;
    final List<Part> attachments = new ArrayList<>();

    Classifier(Path file, MimeLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    void classify(Part root) throws IOException {
        security = SecurityDetector.of(file, root);
        if (security == Security.ENCRYPTED) {
            markAll(root, Part.Role.KEPT);
            return;
        }
        collectCids(root);
        assign(root);
        if (security == Security.NONE && containsSigned(root)) {
            security = Security.SIGNED;
        }
        AttachmentNames.name(file, attachments, limits);
    }

    private static void markAll(Part part, Part.Role role) {
        part.role = part.isContainer() ? Part.Role.CONTAINER : role;
        for (Part child : part.children) {
            markAll(child, role);
        }
    }

    private static boolean containsSigned(Part part) {
        if (part.isMultipart() && part.baseType().equals("multipart/signed")) {
            return true;
        }
        for (Part child : part.children) {
            if (containsSigned(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean attachmentDisposition(Part part) {
        return part.disposition.value().equals("attachment");
    }

    private static boolean nameless(Part part) {
        return !attachmentDisposition(part) && part.declaredName() == null;
    }

    private static boolean isBody(Part part) {
        String type = part.baseType();
        return (type.equals("text/plain") || type.equals("text/html")) && nameless(part);
    }

    private static boolean parentIs(Part part, String type) {
        return part.parent != null && part.parent.baseType().equals(type);
    }

    private void collectCids(Part part) throws IOException {
        String id = part.contentId.toLowerCase(Locale.ROOT);
        if (!id.isEmpty() && !contentIds.add(id)) {
            sharedContentIds.add(id);
        }
        if (part.isContainer()) {
            for (Part child : part.children) {
                collectCids(child);
            }
            return;
        }
        if (isBody(part) && part.baseType().equals("text/html")) {
            try (Reader in = Decoding.openText(file, part)) {
                part.renderedCids = HtmlReferences.rendered(in);
            }
            renderedCids.addAll(part.renderedCids);
        }
    }

    private void assign(Part part) throws IOException {
        if (part.isContainer()) {
            part.role = Part.Role.CONTAINER;
            boolean signed = part.baseType().equals("multipart/signed");
            for (int i = 0; i < part.children.size(); i++) {
                Part child = part.children.get(i);
                if (signed && i > 0) {
                    markAll(child, Part.Role.KEPT); // the signature: dropped with the wrapper on rewrite
                } else {
                    assign(child);
                }
            }
            return;
        }
        part.role = leafRole(part);
        if (part.role == Part.Role.ATTACHMENT) {
            attachments.add(part);
        }
    }

    private Part.Role leafRole(Part part) throws IOException {
        String type = part.baseType();
        if (part.opaque) {
            // a multipart whose boundary never appears: its text, kept whole; one download when it holds
            // parts or when it is declared a file (attachment disposition or a name), like any other part
            return part.ambiguous || !nameless(part) ? Part.Role.ATTACHMENT : Part.Role.BODY;
        }
        if (part.isMessage()) {
            return Part.Role.ATTACHMENT;
        }
        if (isBody(part)) {
            return Part.Role.BODY;
        }
        boolean alternative = parentIs(part, "multipart/alternative");
        if (alternative && type.equals("text/calendar") && !attachmentDisposition(part)) {
            return Part.Role.KEPT;
        }
        if (alternative && type.startsWith("text/") && nameless(part)) {
            return Part.Role.BODY;
        }
        if (REPORT_TYPES.contains(type) && parentIs(part, "multipart/report")) {
            return Part.Role.KEPT;
        }
        if (type.startsWith("image/") && !attachmentDisposition(part) && usedInline(part)) {
            return Part.Role.KEPT;
        }
        return Part.Role.ATTACHMENT;
    }

    /**
     * Rendered by an HTML body, the only part with its Content-ID (a reference to an id that several parts
     * carry is ambiguous, and the copy replaces it as soon as one of them becomes a link), an image by its
     * content (not only its label), and small enough to stay.
     */
    private boolean usedInline(Part part) throws IOException {
        String id = part.contentId.toLowerCase(Locale.ROOT);
        if (id.isEmpty() || !renderedCids.contains(id) || sharedContentIds.contains(id)) {
            return false;
        }
        long max = limits.maxInlineImageBytes();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = Decoding.openBody(file, part)) {
            byte[] head = in.readNBytes(ImageSignatures.HEAD);
            if (!ImageSignatures.isImage(head)) {
                return false; // labelled image, but not one: a file like any other
            }
            total = head.length;
            if (total > max) {
                return false;
            }
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > max) {
                    return false;
                }
            }
        }
        return true;
    }
}
