package dev.todoke.storage;

/**
 * The stored bytes are not what was written: tampered, truncated, reordered, or encrypted under a
 * key that is not in the key ring. Permanent: retrying will not help. When detected inside {@code
 * InputStream.read}, it is thrown as the cause of an {@link java.io.IOException}.
 */
public class BlobIntegrityException extends StorageException {

    public BlobIntegrityException(String message) {
        super(message);
    }

    public BlobIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
