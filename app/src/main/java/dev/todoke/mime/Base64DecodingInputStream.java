package dev.todoke.mime;

import dev.todoke.common.LineFeeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes MIME base64 in large chunks with the JDK's array decoder (several times faster than {@code
 * Base64.getMimeDecoder().wrap(...)}).
 *
 * <p>Fast path, for what senders write: a chunk cut at a line end, whose lines hold only base64
 * characters, is copied without its line breaks and decoded with {@code Base64.getDecoder()}, whose
 * intrinsic works on the whole chunk (the MIME decoder counts its input byte by byte first and leaves the
 * intrinsic at every line break: twice as slow here). Characters beyond a multiple of 4 are carried into
 * the next chunk. Anything else in a chunk (spaces, other characters the MIME decoder skips, odd line
 * lengths, padding before the end) goes to {@code Base64.getMimeDecoder()} as one array, with the same
 * carry. Slow path, for chunks the JDK
 * decoder refuses (a pad character inside the data, a lone character): per RFC 2045 characters outside
 * the alphabet are ignored, a pad character ends the current quantum (a stray single character before
 * it is dropped) and decoding goes on after it, as common readers do with concatenated base64.
 */
final class Base64DecodingInputStream extends ChunkDecodingInputStream {

    private static final int CHUNK = 64 * 1024;
    private static final byte[] ALPHABET = new byte[256];

    static {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < chars.length(); i++) {
            ALPHABET[chars.charAt(i)] = 1;
        }
        ALPHABET['='] = 2;
    }

    private final Base64.Decoder mime = Base64.getMimeDecoder();
    private final Base64.Decoder basic = Base64.getDecoder();
    /** Raw input not yet decoded: the carry from the last chunk, then newly read bytes. */
    private byte[] raw = new byte[CHUNK * 2];

    /** The current chunk without its line breaks (fast path). */
    private byte[] stripped = new byte[0];

    private int rawLength;
    private boolean eof;

    /** Only the fast path (see {@link #strict(InputStream)}). */
    private final boolean strict;

    /** Set once the fast path has decoded a pad character: in strict mode nothing may follow it. */
    private boolean padded;

    Base64DecodingInputStream(InputStream in) {
        this(in, false);
    }

    private Base64DecodingInputStream(InputStream in, boolean strict) {
        super(in);
        this.strict = strict;
    }

    /**
     * A decoder that takes only what the fast path takes: lines of base64 characters ending in CRLF or LF,
     * pad characters only at the very end. Anything else fails with an {@link IOException} ({@link
     * #NOT_PLAIN}) instead of going to the lenient paths. Where it succeeds, the lenient decoder gives the
     * same bytes whatever sizes its input is read in: every chunk of such text is a run of whole quanta
     * that {@code Base64.getDecoder()} takes, so the output is the decoding of the whole text (ADR 0198).
     */
    static InputStream strict(InputStream in) {
        return new Base64DecodingInputStream(in, true);
    }

    /** The message of the failure of a {@link #strict} decoder on text that is not plain base64. */
    static final String NOT_PLAIN = "not plain base64";

    @Override
    boolean fill() throws IOException {
        while (drained()) {
            if (eof && rawLength == 0) {
                return false;
            }
            if (!eof) {
                if (raw.length - rawLength < CHUNK) {
                    raw = Arrays.copyOf(raw, rawLength + CHUNK);
                }
                int n = in.read(raw, rawLength, CHUNK);
                if (n < 0) {
                    eof = true;
                } else {
                    rawLength += n;
                }
            }
            int cut = rawLength;
            if (!eof) {
                cut = lastLineEnd();
                if (cut <= 0) {
                    if (rawLength < CHUNK) {
                        continue; // read more before deciding
                    }
                    cut = rawLength; // a very long line: take it all, alignment is handled below
                }
            }
            decodeSegment(cut);
        }
        return true;
    }

    private int lastLineEnd() {
        return LineFeeds.lastIndexOf(raw, 0, rawLength) + 1;
    }

    /** Decodes raw[0, cut) (minus a carried tail) and keeps the rest for the next round. */
    private void decodeSegment(int cut) throws IOException {
        boolean last = eof && cut == rawLength;
        if (decodeLines(cut, last)) {
            return;
        }
        if (strict) {
            throw new IOException(NOT_PLAIN);
        }
        try {
            ByteBuffer decoded = mime.decode(ByteBuffer.wrap(raw, 0, cut));
            int produced = decoded.remaining();
            int partial = produced % 3; // 1: two characters were left over, 2: three
            if (partial == 0 || last) {
                setOut(decoded);
                consume(cut);
                return;
            }
            int keep = partial == 1 ? 2 : 3;
            int split = cut;
            while (keep > 0 && split > 0) {
                split--;
                if (ALPHABET[raw[split] & 0xff] == 1) {
                    keep--;
                }
            }
            if (keep > 0) {
                throw new IllegalArgumentException("misaligned");
            }
            ByteBuffer aligned = mime.decode(ByteBuffer.wrap(raw, 0, split));
            if (aligned.remaining() % 3 != 0) {
                throw new IllegalArgumentException("misaligned");
            }
            setOut(aligned);
            consume(split);
        } catch (IllegalArgumentException e) {
            slowPath(cut, last);
        }
    }

    /**
     * The fast path: raw[0, cut) as lines of base64 characters ending in CRLF or LF; false, with nothing
     * consumed, when the basic decoder refuses what is left once the line breaks are gone.
     */
    private boolean decodeLines(int cut, boolean last) throws IOException {
        if (stripped.length < cut) {
            stripped = new byte[Math.max(cut, CHUNK)];
        }
        int length = 0;
        int i = 0;
        while (i < cut) {
            int found = LineFeeds.indexOf(raw, i, cut);
            int lf = found < 0 ? cut : found;
            int end = lf > i && raw[lf - 1] == '\r' ? lf - 1 : lf;
            System.arraycopy(raw, i, stripped, length, end - i);
            length += end - i;
            i = lf + 1;
        }
        int usable = last ? length : length - length % 4;
        if (strict && padded && usable > 0) {
            throw new IOException(NOT_PLAIN);
        }
        ByteBuffer decoded;
        try {
            decoded = basic.decode(ByteBuffer.wrap(stripped, 0, usable));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (usable > 0 && stripped[usable - 1] == '=') {
            padded = true;
        }
        int split = cut;
        for (int keep = length - usable; keep > 0; ) {
            split--;
            boolean lineBreak = raw[split] == '\n' || raw[split] == '\r' && split + 1 < cut && raw[split + 1] == '\n';
            if (!lineBreak) {
                keep--;
            }
        }
        setOut(decoded);
        consume(split);
        return true;
    }

    /** Filters raw[0, cut), decoding every whole quantum; at most 3 characters stay for the next round. */
    private void slowPath(int cut, boolean last) throws IOException {
        byte[] quads = new byte[cut];
        int ql = 0;
        byte[] result = new byte[cut / 4 * 3 + 3];
        int length = 0;
        for (int i = 0; i < cut; i++) {
            byte c = raw[i];
            byte kind = ALPHABET[c & 0xff];
            if (kind == 1) {
                quads[ql++] = c;
            } else if (kind == 2 && ql > 0) {
                length += flush(quads, ql, result, length, true);
                ql = 0;
            }
        }
        int whole = last ? ql : ql - ql % 4;
        length += flush(quads, whole, result, length, last);
        int tail = ql - whole;
        byte[] rest = Arrays.copyOfRange(raw, cut, rawLength);
        System.arraycopy(quads, whole, raw, 0, tail);
        System.arraycopy(rest, 0, raw, tail, rest.length);
        rawLength = tail + rest.length;
        output(result, 0, length);
    }

    /** Decodes quads[0, count) into result at offset; a final partial quantum when {@code end}. */
    private int flush(byte[] quads, int count, byte[] result, int offset, boolean end) throws IOException {
        int usable = count;
        if (usable % 4 == 1) {
            usable--; // a lone character carries no whole byte
        }
        if (!end) {
            usable -= usable % 4;
        }
        if (usable == 0) {
            return 0;
        }
        try {
            byte[] decoded = basic.decode(Arrays.copyOf(quads, usable));
            System.arraycopy(decoded, 0, result, offset, decoded.length);
            return decoded.length;
        } catch (IllegalArgumentException e) {
            throw new IOException("base64 decoding failed", e);
        }
    }

    private void setOut(ByteBuffer decoded) {
        int from = decoded.arrayOffset() + decoded.position();
        output(decoded.array(), from, from + decoded.remaining());
    }

    private void consume(int count) {
        System.arraycopy(raw, count, raw, 0, rawLength - count);
        rawLength -= count;
    }
}
