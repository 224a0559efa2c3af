package dev.todoke.web;

import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A BlobStore in memory, for tests of the web parts that read files. Counts opens. */
public final class MemoryBlobStore implements BlobStore {

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public StoredBlob put(InputStream content) {
        try {
            byte[] bytes = content.readAllBytes();
            String key = UUID.randomUUID().toString();
            blobs.put(key, bytes);
            return new StoredBlob(key, bytes.length);
        } catch (IOException e) {
            throw new StorageException("cannot read", e);
        }
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(get(key));
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range");
        }
        byte[] bytes = get(key);
        int from = (int) Math.min(offset, bytes.length);
        int to = (int) Math.min(bytes.length, offset + length);
        return new ByteArrayInputStream(Arrays.copyOfRange(bytes, from, to));
    }

    @Override
    public long size(String key) {
        return get(key).length;
    }

    @Override
    public void delete(String key) {
        blobs.remove(key);
    }

    private byte[] get(String key) {
        byte[] bytes = blobs.get(key);
        if (bytes == null) {
            throw new BlobNotFoundException(key);
        }
        return bytes;
    }
}
