package dev.todoke.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * Blobs as objects in one S3 bucket, through the MinIO Java SDK. A put streams with multipart upload
 * (one part buffered at a time), so objects of unknown length and any size fit in bounded memory; S3
 * acknowledges an object only once it is whole. One client is built and reused. Thread-safe.
 *
 * <p>Every SDK or HTTP failure becomes a {@link StorageException}; a missing object a {@link
 * BlobNotFoundException}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NotFound");
    private static final Set<String> BUCKET_TAKEN = Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");

    private final MinioClient client;
    private final S3Settings settings;
    private final SecureRandom random;

    private S3BlobStore(MinioClient client, S3Settings settings, SecureRandom random) {
        this.client = client;
        this.settings = settings;
        this.random = random;
    }

    /**
     * Connects, checks the credentials and creates the bucket if it is absent.
     *
     * @throws StorageException when the server cannot be reached, refuses the credentials, or the
     *     bucket cannot be created
     */
    public static S3BlobStore connect(S3Settings settings, SecureRandom random) {
        MinioClient client;
        try {
            MinioClient.Builder builder = MinioClient.builder()
                    .endpoint(settings.endpoint())
                    .credentials(settings.accessKey(), settings.secretKey())
                    .httpClient(new OkHttpClient(), true);
            if (settings.region() != null && !settings.region().isBlank()) {
                builder.region(settings.region());
            }
            client = builder.build();
        } catch (IllegalArgumentException e) {
            throw new StorageException("invalid S3 settings " + settings + ": " + e.getMessage(), e);
        }
        if (settings.pathStyle()) {
            client.disableVirtualStyleEndpoint();
        } else {
            client.enableVirtualStyleEndpoint();
        }
        S3BlobStore store = new S3BlobStore(client, settings, random);
        store.ensureBucket();
        return store;
    }

    private void ensureBucket() {
        String bucket = settings.bucket();
        try {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return;
            }
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        } catch (ErrorResponseException e) {
            if (!BUCKET_TAKEN.contains(e.errorResponse().code())) {
                throw failure("cannot create bucket " + bucket, e);
            }
            // another replica created it in the meantime
        } catch (MinioException | RuntimeException e) {
            throw failure("cannot reach bucket " + bucket, e);
        }
    }

    @Override
    public StoredBlob put(InputStream content) {
        String key = BlobKeys.generate(random);
        CountingInputStream counted = new CountingInputStream(content);
        try {
            client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key).stream(
                            counted, -1L, settings.partSize())
                    .contentType("application/octet-stream")
                    .build());
            return new StoredBlob(key, counted.count());
        } catch (MinioException | RuntimeException e) {
            throw failure("cannot store blob", e);
        }
    }

    @Override
    public InputStream open(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        return get(key, GetObjectArgs.builder().bucket(settings.bucket()).object(key));
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        BlobKeys.checkRange(offset, length);
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        if (length == 0) {
            size(key); // throws when missing
            return InputStream.nullInputStream();
        }
        try {
            return get(
                    key,
                    GetObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            .offset(offset)
                            .length(length));
        } catch (RangeNotSatisfiable e) {
            return InputStream.nullInputStream(); // the range starts at or past the end
        }
    }

    private InputStream get(String key, GetObjectArgs.Builder args) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        try {
            return client.getObject(args.build());
        } catch (ErrorResponseException e) {
            if ("InvalidRange".equals(e.errorResponse().code())) {
                throw new RangeNotSatisfiable();
            }
            throw notFoundOr(key, "cannot read blob " + key, e);
        } catch (MinioException | RuntimeException e) {
            throw failure("cannot read blob " + key, e);
        }
    }

    @Override
    public long size(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        try {
            return client.statObject(StatObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            .build())
                    .size();
        } catch (ErrorResponseException e) {
            throw notFoundOr(key, "cannot stat blob " + key, e);
        } catch (MinioException | RuntimeException e) {
            throw failure("cannot stat blob " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        if (!BlobKeys.isValid(key)) {
            return;
        }
        try {
            client.removeObject(RemoveObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(key)
                    .build());
        } catch (ErrorResponseException e) {
            if (!NOT_FOUND.contains(e.errorResponse().code())) {
                throw failure("cannot delete blob " + key, e);
            }
        } catch (MinioException | RuntimeException e) {
            throw failure("cannot delete blob " + key, e);
        }
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw failure("cannot close S3 client", e);
        }
    }

    private StorageException notFoundOr(String key, String what, ErrorResponseException e) {
        if (NOT_FOUND.contains(e.errorResponse().code())) {
            return new BlobNotFoundException(key);
        }
        return failure(what, e);
    }

    /** The SDK's exception types stay here: the cause is flattened into the message. */
    private StorageException failure(String what, Exception e) {
        String detail = e instanceof ErrorResponseException ere
                ? ere.errorResponse().code() + ": " + ere.errorResponse().message()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new StorageException(what + " at " + settings.endpoint() + " (" + detail + ")");
    }

    /** A range that starts at or past the end of the object. */
    private static final class RangeNotSatisfiable extends RuntimeException {
        RangeNotSatisfiable() {
            super(null, null, false, false);
        }
    }

    /** Counts the bytes the SDK reads. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream: BlobStore.put reads to the end but does not close
        }

        long count() {
            return count;
        }
    }
}
