package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest implements BlobStoreContract {

    @TempDir
    Path dir;

    FileSystemBlobStore store;

    @BeforeEach
    void setUp() {
        store = new FileSystemBlobStore(dir.resolve("blobs"), new SecureRandom());
    }

    @Override
    public BlobStore store() {
        return store;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(store.root())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void putWhenStoredThenOneFileFannedOutByKeyPrefixAndNoTemporaryFile() throws IOException {
        String key = store.put(new ByteArrayInputStream(new byte[] {1, 2})).key();

        assertThat(files())
                .containsExactly(store.root().resolve(key.substring(0, 2)).resolve(key));
    }

    @Test
    void putWhenStoredThenBlobFileAndItsDirectoriesAreOwnerOnly() throws IOException {
        Assumptions.assumeTrue(
                Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "POSIX permissions only");
        String key = store.put(new ByteArrayInputStream(new byte[] {1, 2})).key();

        Path file = store.root().resolve(key.substring(0, 2)).resolve(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())))
                .isEqualTo("rwx------");
    }

    @Test
    void putWhenSourceFailsThenNoFileIsLeftBehind() throws IOException {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        };

        assertThatThrownBy(() -> store.put(failing))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("client went away");
        assertThat(files()).isEmpty();
    }

    @Test
    void deleteTemporaryFilesWhenOldLeftoversThenDeletedAndYoungOnesKept() throws IOException {
        Path fan = Files.createDirectories(store.root().resolve("ab"));
        Path old = Files.writeString(fan.resolve(".tmp-old"), "x");
        Path young = Files.writeString(fan.resolve(".tmp-young"), "y");
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(young, FileTime.from(now.minus(Duration.ofMinutes(2))));
        String key = store.put(new ByteArrayInputStream(new byte[] {7})).key();

        int deleted = store.deleteTemporaryFiles(now, Duration.ofHours(1));

        assertThat(deleted).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(store.size(key)).isEqualTo(1);
    }

    @Test
    void openWhenKeyNamesAFileOutsideTheStoreThenNotFound() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), "do not read");

        assertThatThrownBy(() -> store.open("../secret.txt")).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.open("..%2Fsecret.txt")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void putWhenLargerThanTheEarlySyncStepThenStoredWhole() throws IOException {
        byte[] data = new byte[(int) (2.5 * FileSystemBlobStore.EarlySync.EVERY)];
        new Random(3).nextBytes(data);

        StoredBlob blob = store.put(new ByteArrayInputStream(data));

        assertThat(blob.size()).isEqualTo(data.length);
        try (InputStream in = store.open(blob.key())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(files()).hasSize(1);
    }

    @Test
    void earlySyncWhenLessThanTheStepWrittenThenNoForceUntilTheStepAndItsFailureReportedByFinish() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileSystemBlobStore.EarlySync sync = new FileSystemBlobStore.EarlySync(channel);
        channel.close(); // so that a force, once started, fails

        sync.written(FileSystemBlobStore.EarlySync.EVERY - 1);
        sync.finish(); // no force yet: nothing to fail

        sync.written(1);
        assertThatThrownBy(sync::finish).isInstanceOf(IOException.class);
    }
}
