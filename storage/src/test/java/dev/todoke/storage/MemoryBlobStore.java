package dev.todoke.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} in memory, for tests of code that reads and writes files without a real backend.
 * It keeps the whole {@link BlobStoreContract} ({@link MemoryBlobStoreTest}): random 22-character keys,
 * ranges cut at the end, {@link BlobNotFoundException} for unknown or malformed keys, {@link
 * StorageException} when the source fails. Blobs are held whole in memory: small test data only.
 * Thread-safe.
 */
public final class MemoryBlobStore implements BlobStore {

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Override
    public StoredBlob put(InputStream content) {
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read the content to store", e);
        }
        String key = BlobKeys.generate(random);
        blobs.put(key, bytes);
        return new StoredBlob(key, bytes.length);
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(get(key));
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        BlobKeys.checkRange(offset, length);
        byte[] bytes = get(key);
        int from = (int) Math.min(offset, bytes.length);
        int to = (int) Math.min(bytes.length, from + Math.min(length, bytes.length));
        return new ByteArrayInputStream(Arrays.copyOfRange(bytes, from, to));
    }

    @Override
    public long size(String key) {
        return get(key).length;
    }

    @Override
    public void delete(String key) {
        if (key != null) {
            blobs.remove(key);
        }
    }

    private byte[] get(String key) {
        byte[] bytes = BlobKeys.isValid(key) ? blobs.get(key) : null;
        if (bytes == null) {
            throw new BlobNotFoundException(key);
        }
        return bytes;
    }
}
