package dev.todoke.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;

/**
 * UTF-7 (RFC 2152; MIME names {@code UTF-7} and {@code UNICODE-1-1-UTF-7}), decode only: Java ships no
 * UTF-7, and old mailers still write file names and bodies in it. Bytes outside the alphabet are
 * decoded as themselves. The charset is immutable; each decoder is used by one thread.
 */
final class Utf7Charset extends Charset {

    static final Utf7Charset INSTANCE = new Utf7Charset();

    private Utf7Charset() {
        super("X-Todoke-UTF-7", new String[0]);
    }

    @Override
    public boolean contains(Charset cs) {
        return false;
    }

    @Override
    public boolean canEncode() {
        return false;
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        throw new UnsupportedOperationException("UTF-7 is only decoded");
    }

    private static final class Decoder extends CharsetDecoder {

        private boolean shifted;
        private boolean justShifted;
        private int bits;
        private int bitCount;

        Decoder(Charset charset) {
            super(charset, 1.0f, 1.0f);
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (in.hasRemaining()) {
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                int b = in.get(in.position()) & 0xff;
                if (shifted) {
                    int value = base64(b);
                    if (value >= 0) {
                        in.get();
                        justShifted = false;
                        bits = (bits << 6) | value;
                        bitCount += 6;
                        if (bitCount >= 16) {
                            bitCount -= 16;
                            out.put((char) ((bits >> bitCount) & 0xffff));
                        }
                        continue;
                    }
                    shifted = false;
                    bits = 0;
                    bitCount = 0;
                    if (b == '-') {
                        in.get();
                        if (justShifted) {
                            out.put('+'); // "+-" is a plus sign
                        }
                        continue;
                    }
                }
                in.get();
                if (b == '+') {
                    shifted = true;
                    justShifted = true;
                } else {
                    out.put((char) b);
                }
            }
            return CoderResult.UNDERFLOW;
        }

        @Override
        protected void implReset() {
            shifted = false;
            justShifted = false;
            bits = 0;
            bitCount = 0;
        }

        private static int base64(int c) {
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 26;
            }
            if (c >= '0' && c <= '9') {
                return c - '0' + 52;
            }
            return c == '+' ? 62 : c == '/' ? 63 : -1;
        }
    }
}
