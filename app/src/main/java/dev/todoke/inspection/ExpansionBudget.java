package dev.todoke.inspection;

import dev.todoke.inspection.EncryptedFiles.Limit;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What decompressing one attachment may cost: the bytes all its archive entries expand to (nested ones
 * included) are counted against {@code maxExpanded}, and against {@code maxRatio} times the compressed
 * bytes read of the attachment so far (checked once more than {@value #RATIO_FROM} bytes expanded, so
 * that a small, well-compressed file is no finding). Breaking a limit throws {@link
 * ArchiveLimitException} at once: nothing more is decompressed. Not thread-safe: one per attachment.
 */
final class ExpansionBudget {

    static final long RATIO_FROM = 1 << 20;

    private final long maxExpanded;
    private final int maxRatio;
    private final int maxDepth;
    private BoundedInput compressed;
    private long expanded;

    ExpansionBudget(long maxExpanded, int maxRatio, int maxDepth) {
        this.maxExpanded = maxExpanded;
        this.maxRatio = maxRatio;
        this.maxDepth = maxDepth;
    }

    /** The attachment's own stream, whose bytes read are the compressed size. */
    void compressed(BoundedInput in) {
        if (compressed == null) {
            compressed = in;
        }
    }

    int maxDepth() {
        return maxDepth;
    }

    /** The entry's content, counted as it is read. */
    InputStream count(InputStream entry) {
        return new FilterInputStream(entry) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buffer = new byte[8192];
                long skipped = 0;
                int r;
                while (skipped < n && (r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) >= 0) {
                    skipped += r;
                }
                return skipped;
            }

            @Override
            public void close() {
                // the archive reader owns the stream
            }
        };
    }

    private void add(int n) {
        expanded += n;
        if (expanded > maxExpanded) {
            throw new ArchiveLimitException(Limit.EXPANDED_SIZE);
        }
        long read = compressed == null ? 0 : compressed.consumed();
        if (expanded > RATIO_FROM && expanded > (long) maxRatio * Math.max(1, read)) {
            throw new ArchiveLimitException(Limit.RATIO);
        }
    }

    /** A limit was broken; stops the look at once. */
    static final class ArchiveLimitException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Limit limit;

        ArchiveLimitException(Limit limit) {
            super("archive limit exceeded: " + limit, null, false, false);
            this.limit = limit;
        }

        Limit limit() {
            return limit;
        }
    }
}
