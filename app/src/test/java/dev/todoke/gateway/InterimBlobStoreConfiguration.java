package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import dev.todoke.storage.KeyRing;
import java.security.SecureRandom;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The storage module's encrypted filesystem store, until the application declares its own bean. */
@TestConfiguration(proxyBeanMethods = false)
class InterimBlobStoreConfiguration {

    @Bean
    BlobStore blobStore(TodokeProperties todoke, SecureRandom random) {
        return new EncryptingBlobStore(
                new FileSystemBlobStore(todoke.dataDir().resolve("blobs"), random),
                KeyRing.loadOrGenerate(todoke.dataDir().resolve("keys").resolve("kek"), random),
                random);
    }
}
