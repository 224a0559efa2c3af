package dev.todoke.inspection;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Tells from a file's first bytes whether it is text (plain text, CSV) and in which charset: a byte order
 * mark, else UTF-8 when the bytes are valid UTF-8, else Shift_JIS (windows-31j) when valid, else
 * windows-1252. A NUL byte outside UTF-16 means binary. Stateless.
 */
final class TextSniffer {

    static final int HEAD = 64 * 1024;
    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private TextSniffer() {}

    /** The charset to read the file with, or null when the head looks binary. */
    static Charset charset(byte[] head, int length) {
        if (length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return null;
            }
        }
        for (Charset candidate : new Charset[] {StandardCharsets.UTF_8, WINDOWS_31J}) {
            if (valid(candidate, head, length)) {
                return candidate;
            }
        }
        return WINDOWS_1252;
    }

    /** Strictly valid, except for a sequence cut at the end of the head. */
    private static boolean valid(Charset charset, byte[] head, int length) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head, 0, length);
        CharBuffer out = CharBuffer.allocate(length + 16);
        CoderResult result = decoder.decode(in, out, false);
        return !result.isError();
    }
}
