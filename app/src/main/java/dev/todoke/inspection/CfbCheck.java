package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A password-protected Office Open XML file (.docx, .xlsx, .pptx) is an OLE2 compound file (CFB)
 * holding the streams {@code EncryptionInfo} and {@code EncryptedPackage}; the directory stores the
 * names in UTF-16LE, so the file is scanned (within its bounds) for that name. Legacy .doc/.xls
 * encryption (a flag inside the document stream) is not detected. Stateless.
 */
final class CfbCheck {

    private static final byte[] ENCRYPTION_INFO = "EncryptionInfo".getBytes(StandardCharsets.UTF_16LE);

    private CfbCheck() {}

    static boolean encrypted(InputStream in) throws IOException {
        // a directory entry name ends with a UTF-16 NUL
        return ByteScanner.contains(in, ENCRYPTION_INFO, b -> b == 0);
    }
}
