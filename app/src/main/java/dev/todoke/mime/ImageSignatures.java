package dev.todoke.mime;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells from its first bytes whether a part labelled {@code image/*} is an image: PNG, JPEG, GIF, BMP,
 * WebP, TIFF, ICO, the ISO media formats (AVIF, HEIC), Windows metafiles (EMF, WMF, as Outlook inlines
 * them) and SVG. A file that only carries the label (a spreadsheet called image/png) is no image and
 * becomes a link. Stateless.
 */
final class ImageSignatures {

    /** How many leading bytes {@link #isImage} looks at. */
    static final int HEAD = 64;

    private ImageSignatures() {}

    static boolean isImage(byte[] head) {
        return starts(head, 0, 0x89, 'P', 'N', 'G')
                || starts(head, 0, 0xff, 0xd8, 0xff)
                || starts(head, 0, 'G', 'I', 'F', '8')
                || starts(head, 0, 'B', 'M')
                || (starts(head, 0, 'R', 'I', 'F', 'F') && starts(head, 8, 'W', 'E', 'B', 'P'))
                || starts(head, 0, 'I', 'I', 0x2a, 0x00)
                || starts(head, 0, 'M', 'M', 0x00, 0x2a)
                || starts(head, 0, 0x00, 0x00, 0x01, 0x00)
                || starts(head, 4, 'f', 't', 'y', 'p')
                || (starts(head, 0, 0x01, 0x00, 0x00, 0x00) && starts(head, 40, ' ', 'E', 'M', 'F'))
                || starts(head, 0, 0xd7, 0xcd, 0xc6, 0x9a)
                || starts(head, 0, 0x01, 0x00, 0x09, 0x00)
                || svg(head);
    }

    private static boolean starts(byte[] head, int offset, int... signature) {
        if (head.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[offset + i] & 0xff) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean svg(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1)
                .replace("\ufeff", "")
                .stripLeading()
                .toLowerCase(Locale.ROOT);
        return text.startsWith("<svg") || (text.startsWith("<?xml") && text.contains("<svg"));
    }
}
