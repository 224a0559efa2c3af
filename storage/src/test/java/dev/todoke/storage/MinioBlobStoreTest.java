package dev.todoke.storage;

/** The encrypting contract against a real MinIO server, where a container engine exists. */
class MinioBlobStoreTest extends MinioFixture implements EncryptingBlobStoreContract {

    @Override
    public BlobStore backend() {
        return s3;
    }
}
