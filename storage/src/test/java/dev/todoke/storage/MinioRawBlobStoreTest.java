package dev.todoke.storage;

/** The plain contract of {@link S3BlobStore} against a real MinIO server, where a container engine exists. */
class MinioRawBlobStoreTest extends MinioFixture implements BlobStoreContract {

    @Override
    public BlobStore store() {
        return s3;
    }
}
