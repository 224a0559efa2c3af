package dev.todoke.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Opens a part's body from the spool file, undoing its Content-Transfer-Encoding. */
final class Decoding {

    private Decoding() {}

    static InputStream openBody(Path file, Part part) throws IOException {
        InputStream raw = new RangeInputStream(file, part.bodyStart, part.bodyEnd);
        return switch (part.transferEncoding) {
            case "base64" -> new Base64DecodingInputStream(raw);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw);
            case "x-uuencode", "uuencode", "x-uue" -> new UuDecodingInputStream(raw);
            default -> new BufferedInputStream(raw, 64 * 1024);
        };
    }

    /**
     * A text body's characters: transfer-decoded, then read with {@link #textCharset} (malformed input
     * replaced). The one reading of a text body, so that what the classifier sees in an HTML body (its
     * {@code cid:} references) is what the rewritten copy carries.
     */
    static Reader openText(Path file, Part part) throws IOException {
        Charset charset = textCharset(file, part);
        return new InputStreamReader(openBody(file, part), decoderFor(charset));
    }

    private static CharsetDecoder decoderFor(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** The declared charset; for none or US-ASCII, UTF-8 when the bytes are valid UTF-8, else windows-1252. */
    static Charset textCharset(Path source, Part p) throws IOException {
        if (p.textCharset != null) {
            return p.textCharset;
        }
        p.textCharset = resolveCharset(source, p);
        return p.textCharset;
    }

    private static Charset resolveCharset(Path source, Part p) throws IOException {
        String declared = p.opaque ? null : p.charset();
        if (!Charsets.isAsciiOrAbsent(declared)) {
            Charset charset = Charsets.lookup(declared);
            if (charset != null) {
                return charset;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream decoded = openBody(source, p);
                Reader reader = new InputStreamReader(decoded, utf8)) {
            CharBuffer buffer = CharBuffer.allocate(16 * 1024);
            while (reader.read(buffer) >= 0) {
                buffer.clear();
            }
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return Charsets.WINDOWS_1252;
        }
    }

    /** Reads at most {@code max} decoded bytes from the start of a part's body. */
    static byte[] head(Path file, Part part, int max) throws IOException {
        try (InputStream in = openBody(file, part)) {
            return in.readNBytes(max);
        }
    }
}
