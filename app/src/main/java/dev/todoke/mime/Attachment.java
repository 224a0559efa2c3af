package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;

/** One attachment of a {@link ParsedMessage}; its content stays in the spool file until opened. */
public interface Attachment {

    /** 0-based position among the message's attachments, in document order. */
    int ordinal();

    /**
     * The decoded file name (RFC 2231, RFC 2047, and encoded-words inside quoted names), without path
     * separators or control characters; never empty: a part without a name gets {@code attachment-N.ext}.
     */
    String fileName();

    /** Lower-case base type, for example {@code application/pdf}. */
    String contentType();

    /**
     * Streams the decoded bytes (base64, quoted-printable, or identity for 7bit/8bit/binary) from the
     * spool file. Each call opens a new stream; the caller closes it. Safe to call from several threads.
     */
    InputStream openDecoded() throws IOException;

    /**
     * The length in octets of the part's body as it sits in the spool file, still transfer-encoded (base64
     * text is about 4/3 of the decoded size); -1 when unknown.
     */
    default long encodedSize() {
        return -1;
    }

    /**
     * Whether the attachment is the base64 body at {@code [start, end)} of the spool file, so that the
     * bytes {@link Base64Bodies} decoded there are this attachment's ({@link #openDecoded}).
     */
    default boolean isBase64Body(long start, long end) {
        return false;
    }
}
