package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path dir;

    private static byte[] content(int size, int seed) {
        byte[] bytes = TestData.bytes(size, seed);
        bytes[0] = (byte) seed;
        return bytes;
    }

    private List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void readOrCreateWhenMissingThenWritesOwnerOnlyFileInOwnerOnlyDirectoryAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keys").resolve("secret");
        byte[] bytes = content(100, 1);

        byte[] read = SecretFile.readOrCreate(file, () -> bytes);

        assertThat(read).isEqualTo(bytes);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(names(file.getParent())).containsExactly("secret");
    }

    @Test
    void readOrCreateWhenFileExistsThenReadsItWithoutGeneratingOrRewriting() throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "theirs\n");
        AtomicInteger generated = new AtomicInteger();

        byte[] read = SecretFile.readOrCreate(file, () -> {
            generated.incrementAndGet();
            return new byte[] {1};
        });

        assertThat(read).isEqualTo("theirs\n".getBytes());
        assertThat(generated).hasValue(0);
    }

    @Test
    void readOrCreateWhenContentCannotBeMadeThenNothingIsLeftBehind() {
        Path file = dir.resolve("secret");

        assertThatThrownBy(() -> SecretFile.readOrCreate(file, () -> {
                    throw new IllegalStateException("no randomness");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void readOrCreateWhenDirectoryCannotBeCreatedThenIOException() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file, not a directory");

        assertThatThrownBy(() -> SecretFile.readOrCreate(blocker.resolve("secret"), () -> new byte[] {1}))
                .isInstanceOf(IOException.class);
    }

    /**
     * Eight creators start at once, each with its own content; a reader polls the name all the while.
     * Everyone must end up with the same, complete content, and the reader must never see the file
     * empty or short.
     */
    @Test
    void readOrCreateWhenConcurrentCreatorsAndReaderThenAllGetTheOneCompleteFile() throws Exception {
        int creators = 8;
        int size = 256 * 1024;
        Path file = dir.resolve("keys").resolve("secret");
        List<byte[]> candidates = new ArrayList<>();
        for (int i = 0; i < creators; i++) {
            candidates.add(content(size, i + 1));
        }
        CyclicBarrier start = new CyclicBarrier(creators + 1);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(creators + 1);
        try {
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int seen = 0;
                while (!done.get()) {
                    try {
                        byte[] bytes = Files.readAllBytes(file);
                        assertThat(bytes).hasSize(size);
                        seen++;
                    } catch (NoSuchFileException notYet) {
                        Thread.onSpinWait();
                    }
                }
                return seen;
            });
            List<Future<byte[]>> results = new ArrayList<>();
            for (byte[] candidate : candidates) {
                results.add(pool.submit(() -> {
                    start.await();
                    return SecretFile.readOrCreate(file, () -> candidate);
                }));
            }
            byte[] first = results.getFirst().get(30, TimeUnit.SECONDS);
            for (Future<byte[]> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
            }
            done.set(true);
            reader.get(30, TimeUnit.SECONDS);
            assertThat(Files.readAllBytes(file)).isEqualTo(first);
            assertThat(candidates)
                    .anySatisfy(c -> assertThat(Arrays.equals(c, first)).isTrue());
            assertThat(names(file.getParent())).containsExactly("secret");
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }
}
