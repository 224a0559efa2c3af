package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes quoted-printable (RFC 2045) line by line: trailing blanks are dropped, a final '=' joins the
 * next line, {@code =XX} becomes a byte, a '=' that starts no valid escape stays as it is, and line
 * breaks are kept as they are (CRLF or LF).
 */
final class QuotedPrintableInputStream extends ChunkDecodingInputStream {

    private static final int MAX_LINE = 64 * 1024;

    private final byte[] raw = new byte[64 * 1024];
    private int rawPos;
    private int rawLength;
    private boolean eof;

    private final byte[] line = new byte[MAX_LINE + 2];
    private final byte[] out = new byte[MAX_LINE + 2];

    QuotedPrintableInputStream(InputStream in) {
        super(in);
    }

    private int next() throws IOException {
        if (rawPos >= rawLength) {
            if (eof) {
                return -1;
            }
            rawLength = in.read(raw, 0, raw.length);
            rawPos = 0;
            if (rawLength <= 0) {
                rawLength = 0;
                eof = true;
                return -1;
            }
        }
        return raw[rawPos++] & 0xff;
    }

    /** Reads one line (or a line's first 64 KiB) and decodes it into {@code out}. */
    @Override
    boolean fill() throws IOException {
        while (true) {
            int outLength = 0;
            int length = 0;
            int breakLength = 0;
            int c;
            while (length < MAX_LINE && (c = next()) >= 0) {
                if (c == '\n') {
                    breakLength = 1;
                    break;
                }
                line[length++] = (byte) c;
            }
            if (breakLength == 1 && length > 0 && line[length - 1] == '\r') {
                length--;
                breakLength = 2;
            }
            if (length == 0 && breakLength == 0) {
                if (eof) {
                    return false;
                }
                continue;
            }
            boolean full = breakLength == 0 && !eof; // a 64 KiB piece of a longer line: keep blanks
            int end = length;
            if (!full) {
                while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
                    end--;
                }
            }
            boolean soft = end > 0 && line[end - 1] == '=' && !full;
            if (soft) {
                end--;
            }
            for (int i = 0; i < end; i++) {
                byte b = line[i];
                if (b == '=' && i + 2 < end) {
                    int h = EncodedWords.hex(line[i + 1]);
                    int l = EncodedWords.hex(line[i + 2]);
                    if (h >= 0 && l >= 0) {
                        out[outLength++] = (byte) (h * 16 + l);
                        i += 2;
                        continue;
                    }
                }
                out[outLength++] = b;
            }
            if (!soft && breakLength > 0) {
                if (breakLength == 2) {
                    out[outLength++] = '\r';
                }
                out[outLength++] = '\n';
            }
            if (outLength > 0) {
                output(out, 0, outLength);
                return true;
            }
        }
    }
}
