package dev.todoke.mime;

/**
 * What the content says about end-to-end protection (see {@link SecurityDetector}: labels alone do not
 * count).
 */
public enum Security {
    /** Plain mail, including anything labelled encrypted that is not (inline PGP counts as plain too). */
    NONE,
    /**
     * S/MIME or PGP/MIME multipart/signed, or opaque S/MIME signed-data (CMS SignedData). Rewriting
     * removes the signature wrapper.
     */
    SIGNED,
    /**
     * CMS EnvelopedData or AuthEnvelopedData with a recipient, or PGP/MIME multipart/encrypted with
     * {@code Version: 1} and an OpenPGP message: nothing inside can be seen.
     */
    ENCRYPTED
}
