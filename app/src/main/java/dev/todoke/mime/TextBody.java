package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/**
 * One text body of a {@link ParsedMessage} (a text/plain or text/html part that stays in the mail, not an
 * attachment); its content stays in the spool file until opened.
 */
public interface TextBody {

    /** 0-based position among the message's text bodies, in document order. */
    int ordinal();

    /** Whether the body is text/html (else text/plain). */
    boolean html();

    /**
     * The charset to read the decoded bytes with: the declared one (as {@link Charsets} maps mailers'
     * names), else, for an undeclared or US-ASCII charset, UTF-8 when the first 64 KB are valid UTF-8,
     * else Shift_JIS when valid, else windows-1252.
     */
    Charset charset() throws IOException;

    /** Streams the decoded bytes from the spool file; the caller closes the stream. */
    InputStream openDecoded() throws IOException;
}
