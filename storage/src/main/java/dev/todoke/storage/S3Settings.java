package dev.todoke.storage;

import java.util.Objects;

/**
 * Where and how {@link S3BlobStore} reaches its bucket.
 *
 * @param endpoint the S3 endpoint URL, e.g. {@code https://s3.eu-central-1.amazonaws.com} or {@code
 *     http://minio:9000}
 * @param bucket the bucket; created if absent
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param region the region, or null to let the client discover it
 * @param pathStyle true to address the bucket in the path ({@code endpoint/bucket/key}), as MinIO and
 *     most S3-compatible servers expect; false for virtual-host style on AWS
 * @param partSize multipart upload part size in bytes (at least 5 MiB); each upload buffers one part
 */
public record S3Settings(
        String endpoint,
        String bucket,
        String accessKey,
        String secretKey,
        String region,
        boolean pathStyle,
        long partSize) {

    /** The smallest part size S3 accepts. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least 5 MiB, got " + partSize);
        }
    }

    /** Path-style settings with the smallest part size, as for MinIO. */
    public static S3Settings pathStyle(String endpoint, String bucket, String accessKey, String secretKey) {
        return new S3Settings(endpoint, bucket, accessKey, secretKey, null, true, MIN_PART_SIZE);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", pathStyle="
                + pathStyle + ", partSize=" + partSize + "]";
    }
}
