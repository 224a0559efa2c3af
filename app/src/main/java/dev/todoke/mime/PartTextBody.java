package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A text body backed by a byte range of the spool file. */
record PartTextBody(Path file, Part part, int ordinal) implements TextBody {

    private static final int SNIFF = 64 * 1024;

    @Override
    public boolean html() {
        return part.baseType().equals("text/html");
    }

    @Override
    public Charset charset() throws IOException {
        String declared = part.charset();
        Charset charset = Charsets.lookup(declared);
        if (charset != null && !Charsets.isAsciiOrAbsent(declared)) {
            return charset;
        }
        byte[] head = Decoding.head(file, part, SNIFF);
        Charset shiftJis = Charsets.lookup("shift_jis");
        for (Charset candidate : new Charset[] {StandardCharsets.UTF_8, shiftJis}) {
            if (candidate != null && valid(candidate, head)) {
                return candidate;
            }
        }
        return Charsets.WINDOWS_1252;
    }

    @Override
    public InputStream openDecoded() throws IOException {
        return Decoding.openBody(file, part);
    }

    /** Strictly valid, except for a character cut at the end of the head. */
    private static boolean valid(Charset charset, byte[] bytes) {
        return !charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes), CharBuffer.allocate(bytes.length + 16), false)
                .isError();
    }
}
