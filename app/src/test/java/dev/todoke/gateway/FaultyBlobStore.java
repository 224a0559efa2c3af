package dev.todoke.gateway;

import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.storage.StoredBlob;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A real blob store that fails on purpose: puts after the first {@code putsBeforeFailure}, or every delete. */
final class FaultyBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final int putsBeforeFailure;
    private final boolean deletesFail;
    private final AtomicInteger puts = new AtomicInteger();

    private FaultyBlobStore(BlobStore delegate, int putsBeforeFailure, boolean deletesFail) {
        this.delegate = delegate;
        this.putsBeforeFailure = putsBeforeFailure;
        this.deletesFail = deletesFail;
    }

    /** Puts fail after the first {@code n}. */
    static FaultyBlobStore putsFailAfter(int n, BlobStore delegate) {
        return new FaultyBlobStore(delegate, n, false);
    }

    /** Every delete fails. */
    static FaultyBlobStore deletesFail(BlobStore delegate) {
        return new FaultyBlobStore(delegate, Integer.MAX_VALUE, true);
    }

    @Override
    public StoredBlob put(InputStream content) {
        if (puts.incrementAndGet() > putsBeforeFailure) {
            throw new StorageException("store down");
        }
        return delegate.put(content);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        return delegate.open(key, offset, length);
    }

    @Override
    public long size(String key) {
        return delegate.size(key);
    }

    @Override
    public void delete(String key) {
        if (deletesFail) {
            throw new StorageException("store down");
        }
        delegate.delete(key);
    }
}
