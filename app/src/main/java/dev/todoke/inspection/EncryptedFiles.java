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
 * {@code org.tukaani.xz} stays inside this package); also one level deep, a file of these formats inside a
 * ZIP. The format is recognised by its magic bytes, never by the file name.
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

    static final int MAX_DEPTH = 1;

    private final long maxBytes;
    private final Duration timeout;

    /**
     * @param maxBytes how many bytes of one file (and of one nested entry) are read at most
     * @param timeout how long one file is looked at, at most
     */
    public EncryptedFiles(long maxBytes, Duration timeout) {
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the bounds must be positive");
        }
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * Reads the file (not closing the stream) and says in which format it was found encrypted.
     *
     * @return the format, or empty when the file is not (or not recognisably) password-protected
     * @throws IOException only when the given stream fails
     */
    public Optional<Format> detect(InputStream file) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return detect(file, 0, deadline);
    }

    Optional<Format> detect(InputStream file, int depth, long deadline) throws IOException {
        BoundedInput in = new BoundedInput(file, maxBytes, deadline);
        try {
            return Optional.ofNullable(check(new BufferedInputStream(in, 8192), depth, deadline));
        } catch (IOException | RuntimeException e) {
            if (in.sourceFailure() != null) {
                throw in.sourceFailure();
            }
            return Optional.empty();
        }
    }

    private Format check(BufferedInputStream in, int depth, long deadline) throws IOException {
        in.mark(16);
        byte[] head = in.readNBytes(8);
        in.reset();
        if (startsWith(head, 'P', 'K', 3, 4)) {
            return ZipCheck.encrypted(in, this, depth, deadline) ? Format.ZIP : null;
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
