package dev.todoke.storage;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real blob store that fails on purpose, as when S3 or the disk is briefly unreachable: puts after the
 * first {@code putsBeforeFailure}, and the first {@code deleteFailures} deletes. Thread-safe.
 */
public final class FaultyBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final int putsBeforeFailure;
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger deleteFailuresLeft;

    private FaultyBlobStore(BlobStore delegate, int putsBeforeFailure, int deleteFailures) {
        this.delegate = delegate;
        this.putsBeforeFailure = putsBeforeFailure;
        this.deleteFailuresLeft = new AtomicInteger(deleteFailures);
    }

    /** Puts fail after the first {@code n}. */
    public static FaultyBlobStore putsFailAfter(int n, BlobStore delegate) {
        return new FaultyBlobStore(delegate, n, 0);
    }

    /** Every delete fails. */
    public static FaultyBlobStore deletesFail(BlobStore delegate) {
        return new FaultyBlobStore(delegate, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** The first {@code n} deletes fail, later ones work. */
    public static FaultyBlobStore firstDeletesFail(int n, BlobStore delegate) {
        return new FaultyBlobStore(delegate, Integer.MAX_VALUE, n);
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
        if (deleteFailuresLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            throw new StorageException("store down");
        }
        delegate.delete(key);
    }
}
