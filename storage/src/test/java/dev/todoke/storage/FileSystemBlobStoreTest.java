package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.testkit.Components;
import dev.todoke.testkit.TinyDisk;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * Past {@link FileSystemBlobStore#DIRECT_AFTER} the blob goes to the disk with direct I/O, in whole
     * blocks, and its last partial block through the page cache: every byte must read back, whatever the
     * tail and however the content arrives (here in reads of 7,777 bytes), with direct writes and without.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void putWhenPastTheDirectWritesStartThenEveryByteReadBackWhateverTheTail(boolean directWrites) throws IOException {
        FileSystemBlobStore store =
                new FileSystemBlobStore(dir.resolve("direct-" + directWrites), new SecureRandom(), directWrites);
        if (directWrites) {
            Components.require(
                    "direct I/O on the file system of " + dir,
                    store.directWrites(),
                    "run the tests where java.io.tmpdir is on a file system with O_DIRECT (ext4, xfs)");
        }
        assertThat(store.directWrites()).isEqualTo(directWrites);
        long start = FileSystemBlobStore.DIRECT_AFTER;
        for (long size : new long[] {start, start + 1, start + 256 * 1024, start + 3 * 256 * 1024 + 4096 + 13}) {
            byte[] data = new byte[(int) size];
            new Random(size).nextBytes(data);

            StoredBlob blob = store.put(new FilterInputStream(new ByteArrayInputStream(data)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 7777));
                }
            });

            assertThat(blob.size()).as("size of %d", size).isEqualTo(size);
            assertThat(store.size(blob.key())).isEqualTo(size);
            try (InputStream in = store.open(blob.key())) {
                assertThat(in.readAllBytes()).as("content of %d", size).isEqualTo(data);
            }
        }
        try (Stream<Path> files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString())
                            .filter(name -> name.startsWith(".tmp-")))
                    .as("temporary files left")
                    .isEmpty();
        }
    }

    /**
     * A disk that fills while a large blob is written (directly, or through the page cache where the
     * small file system refuses direct I/O) fails the put and leaves nothing; once there is room, the
     * same put succeeds.
     */
    @Test
    void putWhenTheDiskFillsPastTheDirectWritesStartThenFailsLeavingNothingAndSucceedsOnceFreed() throws IOException {
        Path mount = Files.createDirectory(dir.resolve("tiny"));
        try (TinyDisk disk = TinyDisk.mount(mount, 24L * 1024 * 1024)) {
            FileSystemBlobStore small = new FileSystemBlobStore(mount.resolve("blobs"), new SecureRandom());
            byte[] data = new byte[(int) FileSystemBlobStore.DIRECT_AFTER + 4 * 1024 * 1024 + 77];
            new Random(11).nextBytes(data);
            disk.fillLeaving(FileSystemBlobStore.DIRECT_AFTER + 1024 * 1024);

            assertThatThrownBy(() -> small.put(new ByteArrayInputStream(data))).isInstanceOf(StorageException.class);
            try (Stream<Path> files = Files.walk(small.root())) {
                assertThat(files.filter(Files::isRegularFile))
                        .as("files left after the failed put")
                        .isEmpty();
            }

            disk.free();
            StoredBlob blob = small.put(new ByteArrayInputStream(data));
            try (InputStream in = small.open(blob.key())) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void newStoreWhenDirectWritesAskedForThenAProbeWriteDecidesAndLeavesNoFile() throws IOException {
        FileSystemBlobStore asked = new FileSystemBlobStore(dir.resolve("asked"), new SecureRandom(), true);
        FileSystemBlobStore notAsked = new FileSystemBlobStore(dir.resolve("not-asked"), new SecureRandom(), false);

        Components.require(
                "direct I/O on the file system of " + dir,
                asked.directWrites(),
                "run the tests where java.io.tmpdir is on a file system with O_DIRECT (ext4, xfs)");
        assertThat(notAsked.directWrites()).isFalse();
        try (Stream<Path> files = Files.list(asked.root())) {
            assertThat(files).as("what the probe left").isEmpty();
        }
    }
}
