package dev.todoke.store;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import dev.todoke.storage.KeyRing;
import dev.todoke.storage.S3BlobStore;
import dev.todoke.storage.S3Settings;
import dev.todoke.storage.SealedValues;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link BlobStore} bean: an {@link EncryptingBlobStore} over the filesystem backend, or over
 * S3 when {@code todoke.storage.s3.endpoint} is set. Bad settings, unusable keys or an unreachable
 * bucket stop the application at start-up with a message that names the setting.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean(destroyMethod = "close")
    StorageBackend storageBackend(
            StorageProperties storage, TodokeProperties todoke, Clock clock, SecureRandom random) {
        StorageProperties.S3 s3 = storage.s3();
        if (s3.enabled()) {
            S3Settings settings = new S3Settings(
                    s3.endpoint(),
                    s3.bucket(),
                    s3.accessKey(),
                    s3.secretKey(),
                    s3.region().isBlank() ? null : s3.region(),
                    s3.pathStyle(),
                    s3.partSize().toBytes());
            S3BlobStore store = S3BlobStore.connect(settings, random);
            log.info("Attachment store: S3 bucket {} at {}", s3.bucket(), s3.endpoint());
            return new StorageBackend(store, store);
        }
        Path dir = storage.filesystem().dir() != null
                ? storage.filesystem().dir()
                : todoke.dataDir().resolve("blobs");
        FileSystemBlobStore store =
                new FileSystemBlobStore(dir, random, storage.filesystem().directWrites());
        int leftovers = store.deleteTemporaryFiles(clock.instant(), Duration.ofHours(1));
        log.info(
                "Attachment store: directory {}{}{}",
                store.root(),
                store.directWrites() ? ", large blobs written with direct I/O" : "",
                leftovers > 0 ? " (" + leftovers + " unfinished writes removed)" : "");
        return new StorageBackend(store, null);
    }

    @Bean
    KeyRing keyRing(StorageProperties storage, TodokeProperties todoke, SecureRandom random) {
        StorageProperties.Keys keys = storage.keys();
        try {
            if (keys.configured()) {
                KeyRing ring = KeyRing.of(keys.byId(), keys.primary());
                log.info("Key-encryption keys from configuration: {}", ring);
                return ring;
            }
            if (keys.file() == null && storage.s3().enabled()) {
                throw new IllegalArgumentException("todoke.storage.keys.kek must be set when todoke.storage.s3.endpoint"
                        + " is: a generated key file would exist on one machine only. See docs/storage.md");
            }
            Path file = keys.file() != null
                    ? keys.file()
                    : todoke.dataDir().resolve("keys").resolve("kek.properties");
            KeyRing ring = KeyRing.loadOrGenerate(file, random);
            log.info("Key-encryption keys from {}: {}", file.toAbsolutePath(), ring);
            return ring;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("todoke.storage.keys: " + e.getMessage(), e);
        }
    }

    /** Small secrets for database columns, encrypted with the same key ring as the blobs (ADR 0196). */
    @Bean
    SealedValues sealedValues(KeyRing keys, SecureRandom random) {
        return new SealedValues(keys, random);
    }

    @Bean
    BlobStore blobStore(StorageBackend backend, KeyRing keys, StorageProperties storage, SecureRandom random) {
        EncryptingBlobStore store = new EncryptingBlobStore(backend.store(), keys, random);
        long warmUp = storage.warmUp().toBytes();
        if (warmUp > 0) {
            store.warmUpInBackground(warmUp);
        }
        return store;
    }

    /** The backend under the encryption (not a BlobStore bean itself: there is one of those). */
    record StorageBackend(BlobStore store, AutoCloseable closeable) {
        void close() throws Exception {
            if (closeable != null) {
                closeable.close();
            }
        }
    }
}
