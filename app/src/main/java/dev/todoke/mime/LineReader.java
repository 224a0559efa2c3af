package dev.todoke.mime;

import dev.todoke.common.LineFeeds;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a spool file line by line, remembering where each line starts and how it ends, and keeping at
 * most a bounded prefix of each line in memory. A line ends at LF (a CR right before it belongs to the
 * line break); the last line may have no line break.
 */
final class LineReader implements Closeable {

    private final ReadableByteChannel channel;
    private final byte[] buffer = new byte[64 * 1024];
    private final int captureLimit;
    private int pos;
    private int limit;
    private long bufferStart;

    private byte[] captured;
    private int capturedLength;
    private long lineStart;
    private long contentLength;
    private int breakLength;

    LineReader(Path file, int captureLimit) throws IOException {
        this(FileChannel.open(file, StandardOpenOption.READ), 0, captureLimit);
    }

    /** Reads {@code channel}, whose first byte is at offset {@code start} of the message. */
    LineReader(ReadableByteChannel channel, long start, int captureLimit) {
        this.channel = channel;
        this.bufferStart = start;
        this.captureLimit = captureLimit;
        this.captured = new byte[Math.min(captureLimit, 1024)];
    }

    /** Reads the next line; false at end of file. */
    boolean next() throws IOException {
        if (pos >= limit && !fill()) {
            return false;
        }
        lineStart = bufferStart + pos;
        long length = 0;
        capturedLength = 0;
        int last = -1;
        while (true) {
            if (pos >= limit && !fill()) {
                contentLength = length;
                breakLength = 0;
                return true;
            }
            int start = pos;
            byte[] b = buffer;
            int end = limit;
            int lf = LineFeeds.indexOf(b, start, end);
            int i = lf < 0 ? end : lf;
            int n = i - start;
            int room = captureLimit - capturedLength;
            if (room > 0 && n > 0) {
                int c = Math.min(n, room);
                ensureCapture(capturedLength + c);
                System.arraycopy(b, start, captured, capturedLength, c);
                capturedLength += c;
            }
            if (n > 0) {
                last = b[i - 1];
            }
            length += n;
            if (i < end) {
                pos = i + 1;
                if (last == '\r') {
                    breakLength = 2;
                    length--;
                    if (capturedLength > length) {
                        capturedLength = (int) length;
                    }
                } else {
                    breakLength = 1;
                }
                contentLength = length;
                return true;
            }
            pos = end;
        }
    }

    /**
     * Skips, without capturing them, the whole lines already read into the buffer that do not start with
     * {@code -} (so that none can be a MIME delimiter), exactly as {@link #next} would have read them one after
     * another: afterwards the current line is the last one skipped, with its start, length and line break
     * ({@link #captured()} is then empty). Stops before a line that starts with {@code -} and before a line
     * whose end is not in the buffer yet.
     *
     * @return the longest content length among the skipped lines, or -1 when none was skipped
     */
    long skipLinesWithoutDash() {
        byte[] b = buffer;
        int p = pos;
        long longest = -1;
        int lastStart = -1;
        int lastFeed = -1;
        while (p < limit && b[p] != '-') {
            int lf = LineFeeds.indexOf(b, p, limit);
            if (lf < 0) {
                break;
            }
            int content = lf - p - (lf > p && b[lf - 1] == '\r' ? 1 : 0);
            longest = Math.max(longest, content);
            lastStart = p;
            lastFeed = lf;
            p = lf + 1;
        }
        if (lastFeed >= 0) {
            boolean crlf = lastFeed > lastStart && b[lastFeed - 1] == '\r';
            lineStart = bufferStart + lastStart;
            contentLength = lastFeed - lastStart - (crlf ? 1 : 0);
            breakLength = crlf ? 2 : 1;
            capturedLength = 0;
            pos = p;
        }
        return longest;
    }

    private void ensureCapture(int size) {
        if (size > captured.length) {
            byte[] bigger = new byte[Math.min(captureLimit, Math.max(size, captured.length * 2))];
            System.arraycopy(captured, 0, bigger, 0, capturedLength);
            captured = bigger;
        }
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        pos = 0;
        limit = 0;
        ByteBuffer target = ByteBuffer.wrap(buffer);
        while (limit == 0) {
            int n = channel.read(target);
            if (n < 0) {
                return false;
            }
            limit = target.position();
        }
        return true;
    }

    /** File offset of the first byte of the current line. */
    long lineStart() {
        return lineStart;
    }

    /** Length of the current line without its line break. */
    long contentLength() {
        return contentLength;
    }

    /** 0 (end of file), 1 (LF) or 2 (CRLF). */
    int breakLength() {
        return breakLength;
    }

    /** File offset just after the current line and its line break. */
    long lineEnd() {
        return lineStart + contentLength + breakLength;
    }

    /** True when the whole line content is in {@link #captured()}. */
    boolean complete() {
        return capturedLength == contentLength;
    }

    byte[] captured() {
        return captured;
    }

    int capturedLength() {
        return capturedLength;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
