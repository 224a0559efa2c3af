package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An encrypted PDF names its encryption dictionary with an {@code /Encrypt} key in the trailer, or in
 * the dictionary of a cross-reference stream (which is never compressed itself): the whole file is
 * scanned (within its bounds) for that key as a whole name. Stateless.
 */
final class PdfCheck {

    private static final byte[] ENCRYPT = "/Encrypt".getBytes(StandardCharsets.US_ASCII);

    private PdfCheck() {}

    static boolean encrypted(InputStream in) throws IOException {
        // a delimiter or white space must end the name: "/EncryptMetadata" is another key
        return ByteScanner.contains(in, ENCRYPT, b -> !Character.isLetterOrDigit(b) && b != '#' && b != '_');
    }
}
