package dev.todoke.storage;

/**
 * What {@link BlobStore#put} stored.
 *
 * @param key the store-chosen key to read it back with
 * @param size size in bytes of what was put
 */
public record StoredBlob(String key, long size) {}
