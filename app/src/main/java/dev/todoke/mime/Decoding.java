package dev.todoke.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Opens a part's body from the spool file, undoing its Content-Transfer-Encoding. */
final class Decoding {

    private Decoding() {}

    static InputStream openBody(Path file, Part part) throws IOException {
        InputStream raw = new RangeInputStream(file, part.bodyStart, part.bodyEnd);
        return switch (part.transferEncoding) {
            case "base64" -> new Base64DecodingInputStream(raw);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw);
            case "x-uuencode", "uuencode", "x-uue" -> new UuDecodingInputStream(raw);
            default -> new BufferedInputStream(raw, 64 * 1024);
        };
    }

    /** Reads at most {@code max} decoded bytes from the start of a part's body. */
    static byte[] head(Path file, Part part, int max) throws IOException {
        try (InputStream in = openBody(file, part)) {
            return in.readNBytes(max);
        }
    }
}
