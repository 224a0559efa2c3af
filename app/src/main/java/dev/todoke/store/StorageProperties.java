package dev.todoke.store;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The attachment store, under {@code todoke.storage.}: where encrypted blobs live (the filesystem by
 * default, S3 when {@code s3.endpoint} is set) and the key-encryption keys. See docs/configuration.md
 * and docs/storage.md.
 *
 * @param filesystem the filesystem backend (the embedded default)
 * @param s3 the S3 backend, used when its endpoint is set
 * @param keys the key-encryption keys
 * @param warmUp how much data to run through the cipher in the background at start-up, so that the
 *     first mail after a restart is not slowed by an unwarmed JIT; 0 to skip
 */
@Validated
@ConfigurationProperties("todoke.storage")
public record StorageProperties(
        @Valid @NotNull @DefaultValue Filesystem filesystem,
        @Valid @NotNull @DefaultValue S3 s3,
        @Valid @NotNull @DefaultValue Keys keys,
        @NotNull @DefaultValue("256MB") DataSize warmUp) {

    /**
     * @param dir where blob files go; empty for {@code ${todoke.data-dir}/blobs}
     * @param directWrites write the part of a large blob past its first 8 MiB with direct I/O, past the
     *     page cache, where the file system allows it (ADR 0200); false for always through the page cache
     */
    public record Filesystem(Path dir, @DefaultValue("true") boolean directWrites) {}

    /**
     * @param endpoint S3 endpoint URL ({@code https://s3.eu-central-1.amazonaws.com}, {@code
     *     http://minio:9000}); empty for the filesystem backend
     * @param bucket the bucket, created at start-up if absent
     * @param accessKey access key id
     * @param secretKey secret access key
     * @param region region; empty to let the client find it
     * @param pathStyle address the bucket in the path (MinIO and most S3-compatible servers); false
     *     for virtual-host style
     * @param partSize multipart part size (at least 5MB); each upload in progress buffers one part
     */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("todoke") String bucket,
            @DefaultValue("") String accessKey,
            @DefaultValue("") String secretKey,
            @DefaultValue("") String region,
            @DefaultValue("true") boolean pathStyle,
            @NotNull @DefaultValue("5MB") DataSize partSize) {

        public S3 {
            endpoint = endpoint.trim();
            if (!endpoint.isEmpty()) {
                if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
                    throw new IllegalArgumentException(
                            "todoke.storage.s3.endpoint must be an http(s) URL, got: " + endpoint);
                }
                if (bucket.isBlank() || accessKey.isBlank() || secretKey.isBlank()) {
                    throw new IllegalArgumentException("todoke.storage.s3.bucket, access-key and secret-key are"
                            + " required when todoke.storage.s3.endpoint is set");
                }
                if (partSize.toBytes() < 5L * 1024 * 1024) {
                    throw new IllegalArgumentException(
                            "todoke.storage.s3.part-size must be at least 5MB, got " + partSize);
                }
            }
        }

        /** True when S3 is configured. */
        public boolean enabled() {
            return !endpoint.isEmpty();
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", pathStyle=" + pathStyle + "]";
        }
    }

    /**
     * @param primary the id of the key that encrypts new blobs
     * @param kek the key-encryption keys: each an id and a base64-encoded 256-bit key ({@code openssl
     *     rand -base64 32}); keep retired keys here so that older blobs stay readable
     * @param file a key file to use when {@code kek} is empty; empty for {@code
     *     ${todoke.data-dir}/keys/kek.properties}, generated on first start (filesystem backend only)
     */
    public record Keys(
            @DefaultValue("") String primary, @DefaultValue List<@Valid Kek> kek, Path file) {

        /** True when keys are configured explicitly (not from a file). */
        public boolean configured() {
            return !kek.isEmpty();
        }

        /** The configured keys by id. */
        public Map<String, String> byId() {
            Map<String, String> keys = new LinkedHashMap<>();
            for (Kek k : kek) {
                if (keys.put(k.id(), k.key()) != null) {
                    throw new IllegalArgumentException("todoke.storage.keys.kek lists id '" + k.id() + "' twice");
                }
            }
            return keys;
        }

        @Override
        public String toString() {
            return "Keys[primary=" + primary + ", ids="
                    + kek.stream().map(Kek::id).toList() + ", file=" + file + "]";
        }
    }

    /** @param id the key's id, stored in every blob it protects @param key base64 of 32 random bytes */
    public record Kek(
            @DefaultValue("") String id, @DefaultValue("") String key) {
        @Override
        public String toString() {
            return "Kek[id=" + id + "]"; // never the key
        }
    }
}
