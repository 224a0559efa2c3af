package dev.todoke.inspection;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Tells whether a file is password-protected (PPAP), reading it once as a stream: ZIP entries with the
 * encryption flag or the AES extra field, encrypted PDF ({@code /Encrypt}), encrypted Office files
 * (an OLE2/CFB container with an {@code EncryptionInfo} stream), 7z archives with the AES coder, and
 * RAR5 archives with archive or file encryption (a 7z header compressed with LZMA is decompressed;
 * {@code org.tukaani.xz} stays inside this package); also a file of these formats inside a ZIP, down to
 * {@link ArchiveLimits#maxDepth()} levels. The format is recognised by its magic bytes, never by the file
 * name.
 *
 * <p><b>Archive limits.</b> Every byte decompressed from a ZIP entry (nested ones included) counts
 * against {@link ArchiveLimits}: the total expanded size, the ratio to the compressed bytes read, and
 * the nesting depth. The first limit broken stops the look ({@link Verdict#exceeded()}): a zip bomb ends
 * as a finding, never as an out-of-memory error or a thread that decompresses for ever.
 *
 * <p><b>Bounds.</b> At most {@code maxBytes} are read from the file (and from each nested entry), and
 * the check gives up after {@code timeout}; memory use does not depend on the file's size. What is not
 * seen within the bounds counts as not encrypted.
 *
 * <p><b>Failure.</b> A corrupt or truncated file is "not detected", never an exception; only an
 * {@link IOException} of the stream given (the spool) is passed on. Thread-safe (no state besides the
 * bounds).
 */
public final class EncryptedFiles {

    /** The format in which a password-protected file was found. */
    public enum Format {
        ZIP,
        PDF,
        OFFICE,
        SEVEN_ZIP,
        RAR
    }

    /** Which decompression limit an archive broke. */
    public enum Limit {
        /** More bytes expanded than {@link ArchiveLimits#maxExpandedBytes()}. */
        EXPANDED_SIZE,
        /** Expanded more than {@link ArchiveLimits#maxRatio()} times the bytes read of the file. */
        RATIO,
        /** A ZIP nested deeper than {@link ArchiveLimits#maxDepth()}. */
        DEPTH
    }

    /**
     * Bounds for what is decompressed to look inside an archive (see {@link ExpansionBudget}).
     *
     * @param maxExpandedBytes how many bytes the entries of one attachment may expand to, in all
     * @param maxRatio how many times the attachment's compressed bytes read so far they may expand to
     * @param maxDepth how deep ZIPs inside ZIPs are looked into (1: the entries of the attachment)
     */
    public record ArchiveLimits(long maxExpandedBytes, int maxRatio, int maxDepth) {
        /** 1 GB, 100 times, 3 levels. */
        public static final ArchiveLimits DEFAULT = new ArchiveLimits(1L << 30, 100, 3);

        public ArchiveLimits {
            if (maxExpandedBytes <= 0 || maxRatio <= 0 || maxDepth <= 0) {
                throw new IllegalArgumentException("the archive limits must be positive");
            }
        }
    }

    /**
     * What the look found.
     *
     * @param encrypted the format in which a password-protected file was found
     * @param exceeded the decompression limit an archive broke (the look stopped there)
     */
    public record Verdict(Optional<Format> encrypted, Optional<Limit> exceeded) {}

    private final long maxBytes;
    private final Duration timeout;
    private final ArchiveLimits limits;

    /**
     * @param maxBytes how many bytes of one file (and of one nested entry) are read at most
     * @param timeout how long one file is looked at, at most
     */
    public EncryptedFiles(long maxBytes, Duration timeout) {
        this(maxBytes, timeout, ArchiveLimits.DEFAULT);
    }

    /**
     * @param maxBytes how many bytes of one file (and of one nested entry) are read at most
     * @param timeout how long one file is looked at, at most
     * @param limits what decompressing an archive may cost
     */
    public EncryptedFiles(long maxBytes, Duration timeout, ArchiveLimits limits) {
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the bounds must be positive");
        }
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.limits = limits;
    }

    /**
     * Reads the file (not closing the stream) and says in which format it was found encrypted.
     *
     * @return the format, or empty when the file is not (or not recognisably) password-protected, or
     *     when an archive broke a decompression limit
     * @throws IOException only when the given stream fails
     */
    public Optional<Format> detect(InputStream file) throws IOException {
        return inspect(file).encrypted();
    }

    /**
     * Reads the file (not closing the stream): whether it is password-protected, and whether an archive
     * in it broke a decompression limit (then nothing more of it is decompressed).
     *
     * @throws IOException only when the given stream fails
     */
    public Verdict inspect(InputStream file) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExpansionBudget budget = new ExpansionBudget(limits.maxExpandedBytes(), limits.maxRatio(), limits.maxDepth());
        try {
            return new Verdict(detect(file, 0, deadline, budget), Optional.empty());
        } catch (ExpansionBudget.ArchiveLimitException e) {
            return new Verdict(Optional.empty(), Optional.of(e.limit()));
        }
    }

    Optional<Format> detect(InputStream file, int depth, long deadline, ExpansionBudget budget) throws IOException {
        BoundedInput in = new BoundedInput(file, maxBytes, deadline);
        budget.compressed(in);
        try {
            return Optional.ofNullable(check(new BufferedInputStream(in, 8192), depth, deadline, budget));
        } catch (ExpansionBudget.ArchiveLimitException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (in.sourceFailure() != null) {
                throw in.sourceFailure();
            }
            return Optional.empty();
        }
    }

    private Format check(BufferedInputStream in, int depth, long deadline, ExpansionBudget budget) throws IOException {
        in.mark(16);
        byte[] head = in.readNBytes(8);
        in.reset();
        if (startsWith(head, 'P', 'K', 3, 4)) {
            if (depth > budget.maxDepth()) {
                throw new ExpansionBudget.ArchiveLimitException(Limit.DEPTH);
            }
            return ZipCheck.encrypted(in, this, depth, deadline, budget) ? Format.ZIP : null;
        }
        if (startsWith(head, '%', 'P', 'D', 'F', '-')) {
            return PdfCheck.encrypted(in) ? Format.PDF : null;
        }
        if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return CfbCheck.encrypted(in) ? Format.OFFICE : null;
        }
        if (startsWith(head, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return SevenZipCheck.encrypted(in) ? Format.SEVEN_ZIP : null;
        }
        if (startsWith(head, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00)) {
            return Rar5Check.encrypted(in) ? Format.RAR : null;
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        int[] start = new int[magic.length];
        for (int i = 0; i < magic.length; i++) {
            start[i] = head[i] & 0xFF;
        }
        return Arrays.equals(start, magic);
    }
}
