package dev.todoke.inspection;

import java.io.IOException;
import java.io.InputStream;

/**
 * Walks a RAR5 archive's blocks (after its 8-byte signature): an archive encryption header (type 4)
 * means encrypted headers, a file or service header (types 2, 3) with an encryption extra record
 * (type 1) means an encrypted file; file data is skipped. Headers over {@value #MAX_HEADER} bytes, or
 * anything that does not parse, end the walk as not encrypted. RAR4 archives are not looked into.
 * Stateless.
 */
final class Rar5Check {

    static final int MAX_HEADER = 1 << 20;
    private static final int MAX_BLOCKS = 100_000;
    private static final int FILE = 2;
    private static final int SERVICE = 3;
    private static final int ENCRYPTION = 4;
    private static final int END = 5;
    private static final int EXTRA_ENCRYPTION = 1;

    private Rar5Check() {}

    static boolean encrypted(InputStream in) throws IOException {
        in.skipNBytes(8);
        for (int block = 0; block < MAX_BLOCKS; block++) {
            in.skipNBytes(4); // the header CRC
            long size = vint(in);
            if (size <= 0 || size > MAX_HEADER) {
                return false;
            }
            byte[] header = in.readNBytes((int) size);
            if (header.length < size) {
                return false;
            }
            Cursor c = new Cursor(header);
            long type = c.vint();
            long flags = c.vint();
            long extraSize = (flags & 1) != 0 ? c.vint() : 0;
            long dataSize = (flags & 2) != 0 ? c.vint() : 0;
            if (type == ENCRYPTION) {
                return true;
            }
            if (type == END) {
                return false;
            }
            if ((type == FILE || type == SERVICE) && extraSize > 0 && hasEncryptionRecord(header, extraSize)) {
                return true;
            }
            if (dataSize < 0) {
                return false;
            }
            in.skipNBytes(dataSize);
        }
        return false;
    }

    private static boolean hasEncryptionRecord(byte[] header, long extraSize) {
        if (extraSize > header.length) {
            return false;
        }
        Cursor c = new Cursor(header, header.length - (int) extraSize);
        while (c.position < header.length) {
            long recordSize = c.vint();
            int recordStart = c.position;
            if (recordSize <= 0 || recordStart + recordSize > header.length) {
                return false;
            }
            if (c.vint() == EXTRA_ENCRYPTION) {
                return true;
            }
            c.position = recordStart + (int) recordSize;
        }
        return false;
    }

    /** RAR5's variable-length integer: 7 bits per byte, low bits first; -1 when it does not end. */
    private static long vint(InputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    /** Reads variable-length integers out of one header. Not thread-safe. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes) {
            this(bytes, 0);
        }

        Cursor(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        long vint() {
            long value = 0;
            for (int shift = 0; shift < 63 && position < bytes.length; shift += 7) {
                int b = bytes[position++] & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            return -1;
        }
    }
}
