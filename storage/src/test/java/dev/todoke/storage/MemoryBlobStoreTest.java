package dev.todoke.storage;

/** The in-memory test double keeps the same contract as the real backends. */
class MemoryBlobStoreTest implements BlobStoreContract {

    private final MemoryBlobStore store = new MemoryBlobStore();

    @Override
    public BlobStore store() {
        return store;
    }
}
