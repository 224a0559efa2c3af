package dev.todoke.storage;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class EncryptingFileSystemBlobStoreTest implements EncryptingBlobStoreContract {

    @TempDir
    Path dir;

    BlobStore backend;

    @BeforeEach
    void setUp() {
        backend = new FileSystemBlobStore(dir, new SecureRandom());
    }

    @Override
    public BlobStore backend() {
        return backend;
    }
}
