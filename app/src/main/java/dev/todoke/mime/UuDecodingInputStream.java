package dev.todoke.mime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a uuencoded body (Content-Transfer-Encoding x-uuencode): lines before {@code begin} are
 * skipped when there is one, each line starts with its byte count (lines of count 0 carry nothing), {@code
 * end} or the end of the input stops. Lines are at most 64 KiB (longer ones are cut).
 */
final class UuDecodingInputStream extends ChunkDecodingInputStream {

    private static final int MAX_LINE = 64 * 1024;

    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream();
    private boolean started;
    private boolean done;

    UuDecodingInputStream(InputStream in) {
        super(new BufferedInputStream(in, 64 * 1024));
    }

    private byte[] line() throws IOException {
        lineBuffer.reset();
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                break;
            }
            if (lineBuffer.size() < MAX_LINE) {
                lineBuffer.write(c);
            }
        }
        if (!any) {
            return null;
        }
        byte[] bytes = lineBuffer.toByteArray();
        int length = bytes.length;
        while (length > 0 && (bytes[length - 1] == '\r' || bytes[length - 1] == ' ')) {
            length--;
        }
        return java.util.Arrays.copyOf(bytes, length);
    }

    @Override
    boolean fill() throws IOException {
        while (!done) {
            byte[] line = line();
            if (line == null) {
                done = true;
                return false;
            }
            String start = new String(line, 0, Math.min(line.length, 6), StandardCharsets.ISO_8859_1);
            if (!started) {
                if (start.startsWith("begin")) {
                    started = true;
                    continue;
                }
                if (line.length == 0) {
                    continue;
                }
                started = true; // no begin line: decode from here
            }
            if (line.length == 0) {
                continue;
            }
            if (start.equals("end") || (start.startsWith("end") && line.length == 3)) {
                done = true;
                return false;
            }
            int count = (line[0] - ' ') & 0x3f;
            if (count == 0) {
                continue; // the empty line before "end", or a folded begin line: no data, not the end
            }
            byte[] decoded = new byte[count];
            int produced = 0;
            for (int i = 1; produced < count; i += 4) {
                int a = value(line, i);
                int b = value(line, i + 1);
                int c = value(line, i + 2);
                int d = value(line, i + 3);
                decoded[produced++] = (byte) ((a << 2) | (b >> 4));
                if (produced < count) {
                    decoded[produced++] = (byte) ((b << 4) | (c >> 2));
                }
                if (produced < count) {
                    decoded[produced++] = (byte) ((c << 6) | d);
                }
            }
            output(decoded, 0, decoded.length);
            return true;
        }
        return false;
    }

    private static int value(byte[] line, int index) {
        return index < line.length ? (line[index] - ' ') & 0x3f : 0;
    }
}
