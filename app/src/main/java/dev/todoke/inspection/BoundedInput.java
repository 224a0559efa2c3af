package dev.todoke.inspection;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The file as the checks read it: ends (as if at end of file) after {@code maxBytes} or at the
 * deadline, never closes the stream below, and remembers a failure of that stream so that it is not
 * mistaken for a corrupt file. Not thread-safe.
 */
final class BoundedInput extends FilterInputStream {

    private final long deadline;
    private final long maxBytes;
    private long remaining;
    private IOException sourceFailure;

    BoundedInput(InputStream in, long maxBytes, long deadline) {
        super(in);
        this.remaining = maxBytes;
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    /** How many bytes were read so far. */
    long consumed() {
        return maxBytes - remaining;
    }

    /** The exception the stream below threw, if any. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0 || System.nanoTime() - deadline > 0) {
            return -1;
        }
        try {
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the caller owns the stream below
    }
}
