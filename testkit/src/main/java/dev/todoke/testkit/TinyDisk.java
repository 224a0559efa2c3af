package dev.todoke.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small, real file system for disk-full tests: a tmpfs of a few MiB mounted on a directory, so that a
 * write past its size fails with "No space left on device" like a full disk, without touching the
 * machine's disks. Mounting needs root (these machines and CI run the tests as root); where it cannot mount,
 * {@link #mount} skips the test with the reason, or fails it under {@value Components#REQUIRE_ALL}.
 *
 * <p>{@link #fillLeaving} takes the space away with a filler file, {@link #free()} gives it back; {@link
 * #close()} unmounts.
 */
public final class TinyDisk implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private TinyDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("disk-full-filler");
    }

    /** Mounts a tmpfs of {@code bytes} on the (existing, empty) directory {@code dir}. */
    public static TinyDisk mount(Path dir, long bytes) {
        String error =
                run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString()));
        Components.require(
                "a tmpfs mount for the disk-full test",
                error == null,
                "run the test as root where mount(8) may mount a tmpfs (" + error + ")");
        return new TinyDisk(dir);
    }

    /** Writes a filler file so that only about {@code bytes} stay free (tmpfs counts whole pages). */
    public void fillLeaving(long bytes) throws IOException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        long fill = Math.max(0, usable - bytes);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (long written = 0; written < fill; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, fill - written));
            }
        }
    }

    /** Free bytes left on the file system. */
    public long usable() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Deletes the filler: the disk has room again. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() {
        String error = run(List.of("umount", "-l", dir.toString()));
        if (error != null) {
            throw new IllegalStateException("cannot unmount " + dir + ": " + error);
        }
    }

    /** Runs a command; null when it exits 0, else what it printed. */
    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
