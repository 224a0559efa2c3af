package dev.todoke.storage;

/** A storage operation failed. Callers treat it as temporary unless a subtype says otherwise. */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
