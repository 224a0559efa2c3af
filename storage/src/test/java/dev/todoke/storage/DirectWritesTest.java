package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.testkit.Components;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectWritesTest {

    private static final int BUFFER = 64 * 1024;

    @TempDir
    Path dir;

    /**
     * Writes of any size are gathered into whole blocks at their place in the file, after what the
     * ordinary channel wrote before, and the last partial block follows on close.
     */
    @Test
    void writeWhenPiecesOfAnySizeThenTheFileHoldsThemInOrderAfterWhatCameBefore() throws IOException {
        Path file = dir.resolve("blob");
        byte[] head = new byte[BUFFER];
        byte[] rest = new byte[5 * BUFFER + 4096 * 3 + 1234];
        Random random = new Random(5);
        random.nextBytes(head);
        random.nextBytes(rest);
        try (FileChannel tail = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            tail.write(ByteBuffer.wrap(head));
            FileSystemBlobStore.EarlySync sync = new FileSystemBlobStore.EarlySync(tail);
            int alignment = DirectWrites.alignment(dir, "probe");
            DirectWrites direct = DirectWrites.open(file, alignment, tail, sync, head.length, BUFFER);
            Components.require(
                    "direct I/O on the file system of " + dir,
                    direct != null,
                    "run the tests where java.io.tmpdir is on a file system with O_DIRECT (ext4, xfs)");
            int[] sizes = {1, 4095, 4097, BUFFER - 1, BUFFER + 1, 3 * BUFFER, 17, 5000};
            int at = 0;
            for (int i = 0; at < rest.length; i++) {
                int n = Math.min(sizes[i % sizes.length], rest.length - at);
                direct.write(rest, at, n);
                at += n;
            }
            direct.close();
            sync.finish();

            assertThat(direct.position()).isEqualTo(head.length + rest.length);
        }
        byte[] written = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(written, 0, head.length)).isEqualTo(head);
        assertThat(Arrays.copyOfRange(written, head.length, written.length)).isEqualTo(rest);
    }

    @Test
    void openWhenThePositionIsNotOnABlockBoundaryThenRefusedAndTheCallerKeepsThePageCache() throws IOException {
        Path file = dir.resolve("blob");
        try (FileChannel tail = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileSystemBlobStore.EarlySync sync = new FileSystemBlobStore.EarlySync(tail);

            assertThat(DirectWrites.open(file, 4096, tail, sync, 1000, BUFFER)).isNull();
            assertThat(DirectWrites.open(file, 4096, tail, sync, 0, BUFFER + 1)).isNull();
            assertThat(DirectWrites.open(file, 0, tail, sync, 0, BUFFER))
                    .as("no alignment: direct writes off")
                    .isNull();
        }
    }
}
