package dev.todoke.gateway;

import dev.todoke.database.Durability;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StoredBlob;
import java.io.InputStream;

/**
 * The blob store as the gateway sees it: a delete waits until what the mail path has committed is durable
 * ({@link Durability#barrier}), so that a kill of the process never leaves a row naming a blob that is gone
 * (the relayed mark forgets the retry tokens' row and then deletes their blob; a failed attempt is marked,
 * then its files go: ADR 0190). Everything else is passed on. Thread-safe when the store is.
 */
final class DurableBlobDeletes implements BlobStore {

    private final BlobStore store;
    private final Durability durability;

    DurableBlobDeletes(BlobStore store, Durability durability) {
        this.store = store;
        this.durability = durability;
    }

    @Override
    public StoredBlob put(InputStream content) {
        return store.put(content);
    }

    @Override
    public InputStream open(String key) {
        return store.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        return store.open(key, offset, length);
    }

    @Override
    public long size(String key) {
        return store.size(key);
    }

    @Override
    public void delete(String key) {
        durability.barrier();
        store.delete(key);
    }
}
