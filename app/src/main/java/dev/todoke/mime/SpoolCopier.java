package dev.todoke.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Copies byte ranges of the spool file to the copy being written, and writes header fields so that no
 * line is longer than {@link #MAX_LINE} octets (RFC 5322): a longer field is unfolded and folded again at
 * white space, or, where a word is longer than a line, cut with a fold. Not thread safe: one per rewrite.
 */
final class SpoolCopier {

    /** The longest line the copies may carry, line break excluded. */
    static final int MAX_LINE = 998;

    private static final byte[] CRLF = {'\r', '\n'};

    private final FileChannel channel;
    private final OutputStream out;
    private final Path source;
    private final byte[] buffer = new byte[64 * 1024];

    SpoolCopier(FileChannel channel, OutputStream out, Path source) {
        this.channel = channel;
        this.out = out;
        this.source = source;
    }

    OutputStream out() {
        return out;
    }

    long size() throws IOException {
        return channel.size();
    }

    void crlf() throws IOException {
        out.write(CRLF);
    }

    void ascii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    void copy(long start, long end) throws IOException {
        long position = start;
        while (position < end) {
            int want = (int) Math.min(buffer.length, end - position);
            int n = channel.read(ByteBuffer.wrap(buffer, 0, want), position);
            if (n < 0) {
                throw new IOException("the spool file " + source.getFileName() + " changed while rewriting");
            }
            out.write(buffer, 0, n);
            position += n;
        }
    }

    /** The octets of a range of the file (a header field: small). */
    byte[] bytes(long start, long end) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(end - start)];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("the spool file " + source.getFileName() + " changed while rewriting");
            }
        }
        return bytes;
    }

    /** Copies a header field, folded again when a line is too long; ends it with CRLF if the file did not. */
    void field(long start, long end) throws IOException {
        if (end - start > MAX_LINE + 2 && end - start <= Integer.MAX_VALUE) {
            byte[] bytes = new byte[(int) (end - start)];
            channel.read(ByteBuffer.wrap(bytes), start);
            if (longestLine(bytes) > MAX_LINE) {
                out.write(fold(bytes));
                return;
            }
        }
        copy(start, end);
        if (end > start && !endsWithBreak(start, end)) {
            crlf();
        }
    }

    private static int longestLine(byte[] bytes) {
        int longest = 0;
        int length = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                longest = Math.max(longest, length);
                length = 0;
            } else if (b != '\r') {
                length++;
            }
        }
        return Math.max(longest, length);
    }

    /** The field unfolded, then folded before {@link #MAX_LINE} at white space (or cut), ending in CRLF. */
    static byte[] fold(byte[] field) {
        java.io.ByteArrayOutputStream unfolded = new java.io.ByteArrayOutputStream(field.length);
        for (byte b : field) {
            if (b != '\r' && b != '\n') {
                unfolded.write(b);
            }
        }
        byte[] line = unfolded.toByteArray();
        java.io.ByteArrayOutputStream result = new java.io.ByteArrayOutputStream(field.length + 64);
        int start = 0;
        while (line.length - start > MAX_LINE) {
            int cut = -1;
            for (int i = start + MAX_LINE; i > start + 1; i--) {
                if (line[i] == ' ' || line[i] == '\t') {
                    cut = i;
                    break;
                }
            }
            if (cut < 0) {
                cut = start + MAX_LINE - 1; // no white space: a fold inside the word (adds one space)
                result.write(line, start, cut - start);
                result.writeBytes(new byte[] {'\r', '\n', ' '});
            } else {
                result.write(line, start, cut - start);
                result.writeBytes(CRLF);
            }
            start = cut;
        }
        result.write(line, start, line.length - start);
        result.writeBytes(CRLF);
        return result.toByteArray();
    }

    boolean startsWithBreak(long start, long end) throws IOException {
        if (end <= start) {
            return false;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, start);
        byte b = one.get(0);
        return b == '\r' || b == '\n';
    }

    boolean endsWithBreak(long start, long end) throws IOException {
        return end > start && startsWithBreak(end - 1, end);
    }
}
