package dev.todoke.mime;

import java.util.Locale;
import java.util.Map;

/** Makes attachment file names safe to show and to offer for download. */
final class FileNames {

    private static final int MAX_CODE_POINTS = 200;

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/x-zip-compressed", "zip"),
            Map.entry("application/msword", "doc"),
            Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.ms-powerpoint", "ppt"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
            Map.entry("application/ms-tnef", "dat"),
            Map.entry("application/vnd.ms-tnef", "dat"),
            Map.entry("application/pkcs7-mime", "p7m"),
            Map.entry("application/x-pkcs7-mime", "p7m"),
            Map.entry("application/pkcs7-signature", "p7s"),
            Map.entry("application/x-pkcs7-signature", "p7s"),
            Map.entry("application/pgp-signature", "asc"),
            Map.entry("application/pgp-encrypted", "asc"),
            Map.entry("application/json", "json"),
            Map.entry("application/xml", "xml"),
            Map.entry("application/ics", "ics"),
            Map.entry("application/gzip", "gz"),
            Map.entry("image/jpeg", "jpg"),
            Map.entry("image/jpg", "jpg"),
            Map.entry("image/pjpeg", "jpg"),
            Map.entry("image/png", "png"),
            Map.entry("image/gif", "gif"),
            Map.entry("image/bmp", "bmp"),
            Map.entry("image/tiff", "tif"),
            Map.entry("image/webp", "webp"),
            Map.entry("image/svg+xml", "svg"),
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("video/mp4", "mp4"),
            Map.entry("text/plain", "txt"),
            Map.entry("text/html", "html"),
            Map.entry("text/csv", "csv"),
            Map.entry("text/calendar", "ics"),
            Map.entry("text/vcard", "vcf"),
            Map.entry("text/x-vcard", "vcf"),
            Map.entry("message/rfc822", "eml"),
            Map.entry("message/global", "eml"));

    private FileNames() {}

    /** A generated name: {@code attachment-N.ext}, N counting from 1. */
    static String generated(int ordinal, String contentType) {
        return "attachment-" + (ordinal + 1) + "." + EXTENSIONS.getOrDefault(contentType, "bin");
    }

    /**
     * The last path segment of {@code name} without control characters, trimmed, at most 200 characters
     * (the extension kept); null when nothing usable is left. A leading dot stays ({@code .pdf} is a name).
     */
    static String sanitize(String name) {
        if (name == null) {
            return null;
        }
        String s = name;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        StringBuilder clean = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff) {
                return;
            }
            if (Character.getType(cp) == Character.FORMAT
                    && (cp == 0x202e
                            || cp == 0x202d
                            || cp == 0x2066
                            || cp == 0x2067
                            || cp == 0x2068
                            || cp == 0x2069
                            || cp == 0x202a
                            || cp == 0x202b)) {
                return; // bidirectional overrides disguise extensions
            }
            clean.appendCodePoint(cp);
        });
        s = clean.toString().strip();
        if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) { // "." and ".." name no file
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_CODE_POINTS) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            int keep = MAX_CODE_POINTS - ext.length();
            s = s.substring(0, s.offsetByCodePoints(0, keep)) + ext;
        }
        return s;
    }

    static String extension(String contentType) {
        return EXTENSIONS.getOrDefault(contentType.toLowerCase(Locale.ROOT), "bin");
    }
}
