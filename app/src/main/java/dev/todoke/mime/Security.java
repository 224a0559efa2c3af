package dev.todoke.mime;

/** What the top-level structure says about end-to-end protection. */
public enum Security {
    /** Plain mail (inline PGP counts as plain: it is text in the body). */
    NONE,
    /**
     * S/MIME multipart/signed, PGP/MIME signed, or application/pkcs7-mime with signed-data. Rewriting
     * removes the signature wrapper.
     */
    SIGNED,
    /** S/MIME enveloped-data or PGP/MIME multipart/encrypted: nothing inside can be seen. */
    ENCRYPTED
}
