package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 7z archive keeps its header at the end: the 32-byte start header gives its offset and size; the
 * stream is skipped to it and the header (at most {@value #MAX_HEADER} bytes of it) is searched for
 * the 7zAES coder id {@code 06 F1 07 01}. That finds archives whose file data or whose header is
 * encrypted, when the header itself is stored plain or encrypted ({@code -mhe=on}). A header that is
 * only compressed (7-Zip's default) hides the coder list of the files: such an archive is not detected
 * (see docs/inspection.md). Stateless.
 */
final class SevenZipCheck {

    static final int MAX_HEADER = 1 << 20;
    private static final byte[] AES_CODER = {0x06, (byte) 0xF1, 0x07, 0x01};

    private SevenZipCheck() {}

    static boolean encrypted(InputStream in) throws IOException {
        byte[] start = in.readNBytes(32);
        if (start.length < 32) {
            return false;
        }
        ByteBuffer fields = ByteBuffer.wrap(start, 12, 16).order(ByteOrder.LITTLE_ENDIAN);
        long offset = fields.getLong();
        long size = fields.getLong();
        if (offset < 0 || size <= 0) {
            return false;
        }
        in.skipNBytes(offset);
        byte[] header = in.readNBytes((int) Math.min(size, MAX_HEADER));
        for (int i = 0; i + AES_CODER.length <= header.length; i++) {
            if (header[i] == AES_CODER[0]
                    && header[i + 1] == AES_CODER[1]
                    && header[i + 2] == AES_CODER[2]
                    && header[i + 3] == AES_CODER[3]) {
                return true;
            }
        }
        return false;
    }
}
