package dev.todoke.storage;

import java.io.InputStream;

/**
 * A store of opaque blobs: the one seam between Todoke and where attachment bytes live.
 *
 * <p>Backends (filesystem, S3) keep the bytes they are given; {@link EncryptingBlobStore} wraps any
 * backend so that the backend only ever sees ciphertext. Both sides implement this same interface, so
 * every backend passes the same contract test suite.
 *
 * <p>Keys are chosen by the store (random, not derived from content or file names) and returned by
 * {@link #put}. Implementations are thread-safe. Every failure is a {@link StorageException} (or a
 * subtype); no IO, HTTP or SDK exception type escapes.
 */
public interface BlobStore {

    /**
     * Stores a stream of unknown length under a new key. When this returns, the blob is durable (fsync'd
     * to disk, or acknowledged by S3). The stream is read to its end but not closed.
     *
     * @return the new blob's key and its size in bytes (plaintext size for an encrypting store)
     * @throws StorageException when the blob could not be stored; nothing readable is left behind
     */
    StoredBlob put(InputStream content);

    /**
     * Opens a whole blob for reading. The caller closes the stream. An encrypting store detects
     * tampering and truncation while reading and then throws {@link BlobIntegrityException} (wrapped
     * in an {@link java.io.IOException} from {@code read}, see {@link BlobIntegrityException}).
     *
     * @throws BlobNotFoundException when no blob has this key
     */
    InputStream open(String key);

    /**
     * Opens {@code length} bytes starting at {@code offset}. A range that runs past the end is cut at
     * the end. An encrypting store decrypts only the segments the range touches.
     *
     * @throws BlobNotFoundException when no blob has this key
     * @throws IllegalArgumentException when offset or length is negative
     */
    InputStream open(String key, long offset, long length);

    /**
     * Size of a blob in bytes (plaintext size for an encrypting store).
     *
     * @throws BlobNotFoundException when no blob has this key
     */
    long size(String key);

    /** Deletes a blob; deleting a key that does not exist is not an error. */
    void delete(String key);
}
