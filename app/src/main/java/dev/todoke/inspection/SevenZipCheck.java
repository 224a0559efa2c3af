package dev.todoke.inspection;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tukaani.xz.LZMAInputStream;

/**
 * A 7z archive keeps its header at the end: the 32-byte start header gives its offset and size; the
 * stream is skipped to it (keeping the last {@value #TAIL} bytes seen) and the header, at most
 * {@value #MAX_HEADER} bytes of it, is searched for the 7zAES coder id {@code 06 F1 07 01}. That finds
 * an encrypted header ({@code -mhe=on}) and a plain header that names AES for the files. A header that
 * is only LZMA-compressed (7-Zip's default) is decompressed, when its packed bytes lie in the kept
 * tail (7-Zip writes them just before it), and searched the same way. Stateless.
 */
final class SevenZipCheck {

    static final int MAX_HEADER = 1 << 20;
    static final int TAIL = 1 << 20;
    private static final int MAX_DECODED_HEADER = 16 << 20;
    private static final byte[] AES_CODER = {0x06, (byte) 0xF1, 0x07, 0x01};
    private static final byte[] LZMA_CODER = {0x03, 0x01, 0x01};
    private static final int ENCODED_HEADER = 0x17;

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
        byte[] tail = skipKeepingTail(in, offset);
        byte[] header = in.readNBytes((int) Math.min(size, MAX_HEADER));
        if (contains(header, AES_CODER)) {
            return true;
        }
        return header.length > 0
                && (header[0] & 0xFF) == ENCODED_HEADER
                && compressedHeaderNamesAes(header, tail, offset);
    }

    /** Skips {@code count} bytes and returns the last ones (at most {@link #TAIL}). */
    private static byte[] skipKeepingTail(InputStream in, long count) throws IOException {
        long before = count - Math.min(count, TAIL);
        in.skipNBytes(before);
        byte[] tail = in.readNBytes((int) (count - before));
        if (tail.length < count - before) {
            throw new EOFException("7z archive ends before its header");
        }
        return tail;
    }

    /**
     * Reads an encoded header (one folder, one LZMA coder) and searches the decompressed header; false
     * for any other shape.
     */
    private static boolean compressedHeaderNamesAes(byte[] header, byte[] tail, long offset) throws IOException {
        Numbers h = new Numbers(header, 1);
        if (h.next() != 0x06) {
            return false; // kPackInfo
        }
        long packPos = h.number();
        if (h.number() != 1 || h.next() != 0x09) {
            return false;
        }
        long packSize = h.number();
        while (h.peek() != 0x00) {
            h.next(); // an optional digest section
        }
        h.next();
        if (h.next() != 0x07 || h.next() != 0x0B || h.number() != 1 || h.next() != 0 || h.number() != 1) {
            return false; // kUnpackInfo, kFolder, one folder, not external, one coder
        }
        int flags = h.next();
        if ((flags & 0x10) != 0 || (flags & 0x20) == 0) {
            return false; // not a simple coder with properties
        }
        byte[] id = h.bytes(flags & 0x0F);
        byte[] properties = h.bytes((int) h.number());
        if (!Arrays.equals(id, LZMA_CODER) || properties.length != 5 || h.next() != 0x0C) {
            return false;
        }
        long unpackSize = h.number();
        long tailStart = offset - tail.length;
        if (packPos < tailStart || packSize <= 0 || packPos + packSize > offset || unpackSize <= 0) {
            return false;
        }
        if (unpackSize > MAX_DECODED_HEADER) {
            return false;
        }
        int dictSize =
                ByteBuffer.wrap(properties, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int boundedDict = (int) Math.max(4096, Math.min(Integer.toUnsignedLong(dictSize), unpackSize));
        InputStream packed = new ByteArrayInputStream(tail, (int) (packPos - tailStart), (int) packSize);
        try (InputStream decoded = new LZMAInputStream(packed, unpackSize, properties[0], boundedDict)) {
            return ByteScanner.contains(decoded, AES_CODER, b -> true);
        }
    }

    private static boolean contains(byte[] bytes, byte[] pattern) {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return true;
            }
        }
        return false;
    }

    /** Reads 7z's variable-length numbers and bytes out of one header; ends with an exception. */
    private static final class Numbers {
        private final byte[] bytes;
        private int position;

        Numbers(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        int peek() {
            return bytes[position] & 0xFF;
        }

        int next() {
            return bytes[position++] & 0xFF;
        }

        byte[] bytes(int count) {
            byte[] out = Arrays.copyOfRange(bytes, position, position + count);
            if (position + count > bytes.length) {
                throw new IllegalArgumentException("7z header ends early");
            }
            position += count;
            return out;
        }

        /** The first byte's leading one bits say how many little-endian bytes follow. */
        long number() {
            int first = next();
            int mask = 0x80;
            long value = 0;
            for (int i = 0; i < 8; i++) {
                if ((first & mask) == 0) {
                    long high = first & (mask - 1);
                    return value | (high << (8 * i));
                }
                value |= (long) next() << (8 * i);
                mask >>>= 1;
            }
            return value;
        }
    }
}
