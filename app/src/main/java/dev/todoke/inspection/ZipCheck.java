package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipShort;

/**
 * Reads a ZIP's local headers one after another (Commons Compress, streaming): an entry is encrypted
 * when its general purpose bit 0 is set, it has the WinZip AES extra field ({@code 0x9901}) or the AES
 * compression method (99). Each entry's content is checked like a file of its own (a ZIP, PDF, Office
 * file, 7z or RAR inside the ZIP; the finding is then the outer ZIP) and then read to its end, every
 * byte counted by the {@link ExpansionBudget} (a ZIP nested deeper than its depth limit is itself a
 * finding, see {@link EncryptedFiles}). Stateless.
 */
final class ZipCheck {

    private static final ZipShort AES_EXTRA_FIELD = new ZipShort(0x9901);
    private static final int AES_METHOD = 99;

    private ZipCheck() {}

    static boolean encrypted(InputStream in, EncryptedFiles files, int depth, long deadline, ExpansionBudget budget)
            throws IOException {
        ZipArchiveInputStream zip = new ZipArchiveInputStream(in, StandardCharsets.UTF_8.name(), true, true);
        ZipArchiveEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            if (entry.getGeneralPurposeBit().usesEncryption()
                    || entry.getMethod() == AES_METHOD
                    || entry.getExtraField(AES_EXTRA_FIELD) != null) {
                return true;
            }
            if (entry.isDirectory()) {
                continue;
            }
            InputStream content = budget.count(zip);
            if (files.detect(content, depth + 1, deadline, budget).isPresent()) {
                return true;
            }
            content.transferTo(OutputStream.nullOutputStream()); // counted: the expansion limits see every byte
        }
        return false;
    }
}
