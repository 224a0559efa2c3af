package dev.todoke.mime;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an independent reader (Angus Mail) shows as a file the sender attached, by the same rule as the
 * acceptance check: {@code Content-Disposition: attachment}, or a file name on a part that is not text and
 * not an image the HTML shows; an attached message with a name or marked attachment. Signatures, crypto
 * control parts, calendar and report parts are not counted. Used by the samples tests to check that every
 * such file can be downloaded and that none of its bytes reaches an outside copy.
 */
public final class AngusReference {

    private static final Set<String> SKIPPED = Set.of(
            "application/pkcs7-signature",
            "application/x-pkcs7-signature",
            "application/pgp-signature",
            "application/pgp-encrypted",
            "text/calendar",
            "application/ics",
            "text/x-vcalendar",
            "message/delivery-status",
            "message/disposition-notification",
            "text/rfc822-headers",
            "message/feedback-report",
            "message/global-delivery-status",
            "message/global-headers",
            "message/global-disposition-notification");
    private static final Pattern CID = Pattern.compile("cid:([^\"'\\s>)]+)", Pattern.CASE_INSENSITIVE);

    /**
     * One attached file as Angus reads it.
     *
     * @param name the decoded file name without path, or null when it has none or it is malformed
     * @param content the decoded bytes, or null when Angus cannot decode them
     * @param encoded the body as it is in the message (transfer encoding applied)
     */
    public record File(String name, String contentType, byte[] content, byte[] encoded) {}

    private AngusReference() {}

    /** The attached files of a message, in document order. */
    public static List<File> attachments(MimeMessage message) throws Exception {
        Set<String> cids = new HashSet<>();
        collectCids(message, cids, 0);
        List<File> files = new ArrayList<>();
        walk(message, false, cids, files, 0);
        return files;
    }

    private static String type(Part part) throws MessagingException {
        try {
            return part.getContentType().toLowerCase(Locale.ROOT).split(";")[0].trim();
        } catch (RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static void collectCids(Part part, Set<String> cids, int depth) throws Exception {
        if (depth > 50) {
            return;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                collectCids(mp.getBodyPart(i), cids, depth + 1);
            }
        } else if (part.isMimeType("text/html")) {
            Matcher m = CID.matcher(new String(decoded(part), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                cids.add(m.group(1).replaceAll("^<|>$", "").toLowerCase(Locale.ROOT));
            }
        }
    }

    private static void walk(Part part, boolean inRelated, Set<String> cids, List<File> files, int depth)
            throws Exception {
        if (depth > 50) {
            return;
        }
        String type = type(part);
        if (type.startsWith("multipart/") && part.getContent() instanceof Multipart mp) {
            boolean related = inRelated || type.equals("multipart/related");
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                walk(child, related, cids, files, depth + 1);
            }
            return;
        }
        if (depth == 0 && type.equals("message/rfc822")) {
            return; // a whole message that is one encapsulated message: no sender's attachment by this rule
        }
        if (SKIPPED.contains(type) || (depth == 0 && type.contains("pkcs7-mime"))) {
            return;
        }
        String disposition = disposition(part);
        String name = name(part);
        boolean attachment = "attachment".equals(disposition);
        boolean counts;
        if (type.equals("message/rfc822")) {
            counts = attachment || name != null;
        } else {
            String cid = contentId(part);
            if (cid != null && cids.contains(cid) && !attachment) {
                counts = false;
            } else if (attachment) {
                counts = true;
            } else if (name != null) {
                counts = !(cid != null && inRelated)
                        && !type.startsWith("text/")
                        && !("inline".equals(disposition) && type.startsWith("image/"));
            } else {
                counts = false;
            }
        }
        if (counts) {
            files.add(new File(clean(name), type, strictlyDecoded(part), encoded(part)));
        }
    }

    private static String disposition(Part part) {
        try {
            String d = part.getDisposition();
            return d == null ? null : d.toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return null;
        }
    }

    private static String contentId(Part part) {
        try {
            String[] ids = part.getHeader("Content-ID");
            return ids == null
                    ? null
                    : ids[0].trim().replaceAll("^<|>$", "").trim().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return null;
        }
    }

    private static String name(Part part) {
        try {
            String name = part.getFileName();
            return name == null || name.isBlank() ? null : MimeUtility.decodeText(name);
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * The name without path, NFC; raw 8-bit UTF-8 (which Angus reads as Latin-1) decoded; null when
     * malformed (undecoded words, replacement or control characters).
     */
    private static String clean(String raw) {
        String name = raw;
        if (name != null
                && name.chars().anyMatch(c -> c >= 0x80 && c <= 0xff)
                && name.chars().allMatch(c -> c <= 0xff)) {
            name = Charsets.strict(
                    StandardCharsets.UTF_8, name.getBytes(StandardCharsets.ISO_8859_1), 0, name.length());
        }
        if (name == null || name.isEmpty() || name.contains("=?") || name.contains("\uFFFD")) {
            return null;
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return null;
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return Normalizer.normalize(base.strip(), Normalizer.Form.NFC);
    }

    /** Whether a name we serve is the name Angus reads (or Angus reads none we can compare with). */
    public static boolean sameName(File file, String served) {
        return file.name() == null
                || Normalizer.normalize(served, Normalizer.Form.NFC).equals(file.name());
    }

    private static InputStream raw(Part part) throws MessagingException {
        if (part instanceof MimeMessage m) {
            return m.getRawInputStream();
        }
        return ((MimeBodyPart) part).getRawInputStream();
    }

    private static byte[] encoded(Part part) throws Exception {
        try (InputStream in = raw(part)) {
            return in.readAllBytes();
        }
    }

    /** The decoded bytes, or null when Angus cannot decode the body (then nothing can be compared). */
    private static byte[] strictlyDecoded(Part part) throws Exception {
        String encoding = part instanceof MimePart mp ? mp.getEncoding() : null;
        try (InputStream in = MimeUtility.decode(raw(part), encoding == null ? "7bit" : encoding.trim())) {
            return in.readAllBytes();
        } catch (MessagingException | IOException unknownOrBroken) {
            return null;
        }
    }

    /** The bytes a client saves: the raw body decoded by its transfer encoding. */
    static byte[] decoded(Part part) throws Exception {
        String encoding = part instanceof MimePart mp ? mp.getEncoding() : null;
        try (InputStream in = MimeUtility.decode(raw(part), encoding == null ? "7bit" : encoding.trim())) {
            return in.readAllBytes();
        } catch (MessagingException | IOException unknownOrBroken) {
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                return encoded(part);
            }
        }
    }

    /**
     * What of an attached file is in {@code copy}: its decoded bytes, or a 64-character run of its encoded
     * body (line breaks ignored). Null when nothing is; files under 64 bytes are not looked for.
     */
    public static String trace(byte[] copy, File file) {
        if (file.content() == null || file.content().length < 64) {
            return null;
        }
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        if (text.contains(new String(file.content(), StandardCharsets.ISO_8859_1))) {
            return "its decoded bytes";
        }
        String flat = text.replace("\r", "").replace("\n", "");
        String encoded = new String(file.encoded(), StandardCharsets.ISO_8859_1)
                .replace("\r", "")
                .replace("\n", "");
        if (encoded.length() < 64) {
            return null;
        }
        // distinctive runs (many different characters: not the zero fill or a header every PNG shares)
        int found = 0;
        for (int start = encoded.length() / 3; start + 64 <= encoded.length() && found < 3; start += 64) {
            String run = encoded.substring(start, start + 64);
            if (run.chars().distinct().count() < 24) {
                continue;
            }
            found++;
            if (flat.contains(run)) {
                return "its encoded body";
            }
        }
        return null;
    }
}
