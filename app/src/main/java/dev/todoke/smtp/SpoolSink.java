package dev.todoke.smtp;

import dev.todoke.common.LineFeeds;
import dev.todoke.storage.WriteBehindOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Where DATA goes while it is received: counts the octets, checks the size and line-length limits, and
 * writes to the spool file while that makes sense (within the limits, and while the disk takes it). It
 * never stops reading, so the session stays in step; {@link TooMuch} drops a client that goes on far
 * past the size limit. Every byte written to the spool also goes into {@link #digest} (when set), so the
 * message key (and the retry fingerprint made from it) needs no second pass over the spool. Not
 * thread-safe: one per transaction.
 *
 * <p>Past {@link #WRITE_BEHIND_AFTER} octets the spool file is written on a thread of its own
 * ({@link WriteBehindOutputStream}, ADR 0197): copying a large message into the page cache was the
 * largest cost of receiving it, and the other core can take it while this one reads, checks and hashes.
 * From then on a {@link SpoolWatch} from {@link #watches} is told how much of the file is written, so
 * that the gateway can start on it (ADR 0198).
 */
final class SpoolSink implements DataReader.Sink {

    /** Thrown when a client sends far more than the limit: the connection is then dropped. */
    static final class TooMuch extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Octets of DATA from which the spool is written behind: large mail only, where it pays. */
    static final long WRITE_BEHIND_AFTER = 8 * 1024 * 1024;

    final long maxSize;
    final int maxLine;
    long total;
    int lineLength;
    boolean tooLong;
    IOException storeFailure;
    OutputStream out;
    MessageDigest digest;
    /** Asked for a watch when the message grows large (ADR 0198), told as the spool grows; null: none. */
    Supplier<SpoolWatch> watches;

    SpoolSink(long maxSize, int maxLine) {
        this.maxSize = maxSize;
        this.maxLine = maxLine;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        total += length;
        if (total > maxSize) {
            if (total > 2 * maxSize + 1024 * 1024) {
                throw new TooMuch();
            }
            return;
        }
        if (tooLong || storeFailure != null) {
            return;
        }
        if (!withinLineLimit(bytes, offset, offset + length)) {
            tooLong = true;
            return;
        }
        try {
            if (total > WRITE_BEHIND_AFTER && !(out instanceof WriteBehindOutputStream)) {
                SpoolWatch watch = watches == null ? SpoolWatch.NONE : watches.get();
                out = new WriteBehindOutputStream(
                        out, "todoke-spool-writer", total - length, watch == SpoolWatch.NONE ? null : watch::grown);
            }
            out.write(bytes, offset, length);
            if (digest != null) {
                digest.update(bytes, offset, length);
            }
        } catch (IOException e) {
            storeFailure = e;
        }
    }

    /**
     * Carries {@link #lineLength} (every octet since the last LF except CR) over {@code bytes[from, to)};
     * false as soon as a line gets longer than {@link #maxLine}. Finds the LFs eight bytes at a time and
     * counts the CRs of a line only when its length with them would be over the limit; once the rest of
     * the write is too short to take any line over the limit, only its last line is looked at.
     */
    private boolean withinLineLimit(byte[] bytes, int from, int to) {
        int i = from;
        while (true) {
            if ((long) lineLength + (to - i) <= maxLine) {
                // No line can get over the limit in what is left: carry over the length of its last line.
                int lf = LineFeeds.lastIndexOf(bytes, i, to);
                int start = lf < 0 ? i : lf + 1;
                lineLength =
                        (lf < 0 ? lineLength : 0) + (to - start) - LineFeeds.countCarriageReturns(bytes, start, to);
                return true;
            }
            int lf = LineFeeds.indexOf(bytes, i, to);
            int end = lf < 0 ? to : lf;
            long length = (long) lineLength + (end - i);
            if (length > maxLine) { // always so without an LF: the rest is longer than the limit allows
                length -= LineFeeds.countCarriageReturns(bytes, i, end);
                if (length > maxLine) {
                    return false;
                }
            }
            if (lf < 0) {
                lineLength = (int) length;
                return true;
            }
            lineLength = 0;
            i = lf + 1;
        }
    }

    void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                storeFailure = storeFailure == null ? e : storeFailure;
            }
        }
    }
}
