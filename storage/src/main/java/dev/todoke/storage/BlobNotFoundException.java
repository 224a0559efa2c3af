package dev.todoke.storage;

/** No blob has the requested key. */
public class BlobNotFoundException extends StorageException {

    public BlobNotFoundException(String key) {
        super("no blob with key " + key);
    }
}
