package dev.todoke.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Decides the {@link Part.Role} of every entity and the message's {@link Security}. */
final class Classifier {

    private static final int MAX_CIDS = 10_000;
    private static final byte[] OID_PKCS7 = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07
    };

    private final Path file;
    private final MimeLimits limits;
    private final Set<String> cids = new HashSet<>();
    Security security = Security.NONE;
    final List<Part> attachments = new ArrayList<>();

    Classifier(Path file, MimeLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    void classify(Part root) throws IOException {
        security = rootSecurity(root);
        if (security == Security.ENCRYPTED) {
            markAll(root, Part.Role.KEPT);
            return;
        }
        collectCids(root);
        assign(root);
        if (security == Security.NONE && containsSigned(root)) {
            security = Security.SIGNED;
        }
        name();
    }

    private Security rootSecurity(Part root) throws IOException {
        String type = root.baseType();
        if (type.equals("multipart/signed") && root.isMultipart()) {
            return Security.SIGNED;
        }
        if (type.equals("multipart/encrypted") && root.isMultipart()) {
            return Security.ENCRYPTED;
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            String smime = root.contentType.param("smime-type");
            smime = smime == null ? "" : smime.toLowerCase(Locale.ROOT);
            if (smime.equals("enveloped-data") || smime.equals("authenveloped-data")) {
                return Security.ENCRYPTED;
            }
            if (smime.equals("signed-data")) {
                return Security.SIGNED;
            }
            int kind = pkcs7Kind(root);
            if (kind == 3) {
                return Security.ENCRYPTED;
            }
            if (kind == 2) {
                return Security.SIGNED;
            }
        }
        return Security.NONE;
    }

    /** The last arc of the PKCS #7 content type OID (2 signed, 3 enveloped), or -1. */
    private int pkcs7Kind(Part part) throws IOException {
        byte[] head = Decoding.head(file, part, 64);
        for (int i = 0; i + OID_PKCS7.length < head.length; i++) {
            boolean match = true;
            for (int j = 0; j < OID_PKCS7.length; j++) {
                if (head[i + j] != OID_PKCS7[j]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                return head[i + OID_PKCS7.length];
            }
        }
        return -1;
    }

    private static void markAll(Part part, Part.Role role) {
        part.role = part.isMultipart() ? Part.Role.CONTAINER : role;
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

    /** A text/html part that is body text (not an attachment by disposition or name). */
    private static boolean isHtmlBody(Part part) {
        return part.baseType().equals("text/html") && !attachmentDisposition(part) && part.declaredName() == null;
    }

    private void collectCids(Part part) throws IOException {
        if (part.isMultipart()) {
            for (Part child : part.children) {
                collectCids(child);
            }
            return;
        }
        if (isHtmlBody(part)) {
            try (InputStream in = Decoding.openBody(file, part)) {
                scanCids(in);
            }
        }
    }

    /** Finds {@code cid:} references in HTML bytes (any ASCII-compatible charset). */
    private void scanCids(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int matched = 0; // how much of "cid:" matched
        ByteArrayOutputStream id = null;
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                int c = buffer[i] & 0xff;
                if (id != null) {
                    if (c <= ' ' || c == '"' || c == '\'' || c == '>' || c == '<' || c == ')' || c == '&') {
                        addCid(id);
                        id = null;
                    } else if (id.size() < 998) {
                        id.write(c);
                    }
                    continue;
                }
                int lower = c | 0x20;
                if ((matched == 0 && lower == 'c')
                        || (matched == 1 && lower == 'i')
                        || (matched == 2 && lower == 'd')) {
                    matched++;
                } else if (matched == 3 && c == ':') {
                    id = new ByteArrayOutputStream();
                    matched = 0;
                } else {
                    matched = lower == 'c' ? 1 : 0;
                }
            }
        }
        if (id != null) {
            addCid(id);
        }
    }

    private void addCid(ByteArrayOutputStream id) {
        if (id.size() == 0 || cids.size() >= MAX_CIDS) {
            return;
        }
        String raw = id.toString(StandardCharsets.ISO_8859_1);
        StringBuilder decoded = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
        decoded.append(bytes.toString(StandardCharsets.UTF_8));
        cids.add(decoded.toString().toLowerCase(Locale.ROOT));
    }

    private void assign(Part part) throws IOException {
        if (part.isMultipart()) {
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
            return Part.Role.BODY;
        }
        if (part.isMessage()) {
            return Part.Role.ATTACHMENT;
        }
        if (!part.contentId.isEmpty() && cids.contains(part.contentId.toLowerCase(Locale.ROOT))) {
            return Part.Role.KEPT;
        }
        if (type.equals("text/calendar")
                && (part.contentType.param("method") != null || !attachmentDisposition(part))) {
            return Part.Role.KEPT;
        }
        if (attachmentDisposition(part) || part.declaredName() != null) {
            return Part.Role.ATTACHMENT;
        }
        if (type.startsWith("text/")
                || type.equals("message/delivery-status")
                || type.equals("message/disposition-notification")
                || type.equals("message/feedback-report")) {
            return Part.Role.BODY;
        }
        return Part.Role.ATTACHMENT;
    }

    private void name() throws IOException {
        for (int i = 0; i < attachments.size(); i++) {
            Part part = attachments.get(i);
            String name = null;
            if (part.isMessage()) {
                String subject = attachedSubject(part);
                part.attachedSubject = subject;
                String base = FileNames.sanitize(subject);
                if (base == null) {
                    String declared = FileNames.sanitize(part.declaredName());
                    base = declared == null ? null : declared.replaceFirst("(?i)\\.eml$", "");
                }
                name = base == null ? null : FileNames.sanitize(base + ".eml");
            } else {
                name = FileNames.sanitize(part.declaredName());
            }
            part.fileName = name != null ? name : FileNames.generated(i, part.baseType());
        }
    }

    /** The decoded Subject of an attached message, or "" when it has none. */
    private String attachedSubject(Part part) throws IOException {
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
