package dev.todoke.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * The one way Todoke generates a secret file on first start (the key-encryption keys, the web secret,
 * the mail seal key): the content goes to a temporary file in the same directory, readable by the
 * owner only ({@code rw-------}, in a new directory {@code rwx------}: {@link OwnerOnly}), is forced to disk, and is then
 * hard-linked to its name, which fails instead of replacing a file that appeared meanwhile. A second
 * process therefore never reads the file empty or half-written, and when two processes create it at
 * once, both end up with the one that was linked first. Where the file system has no hard links, a
 * move that does not replace is used instead (the window between its check and the rename is tiny but
 * not zero). Thread-safe and safe across processes; a file that exists is only read, never rewritten.
 */
public final class SecretFile {

    private SecretFile() {}

    /**
     * The file's bytes; when it does not exist, creates it with {@code content} first.
     *
     * @param content called at most once, and only when the file is missing
     * @throws IOException when the file can be neither read nor created
     */
    public static byte[] readOrCreate(Path file, Supplier<byte[]> content) throws IOException {
        Path target = file.toAbsolutePath();
        if (!Files.exists(target)) {
            create(target, content.get());
        }
        return Files.readAllBytes(target);
    }

    private static void create(Path target, byte[] bytes) throws IOException {
        Path dir = OwnerOnly.createDirectories(target.getParent());
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", OwnerOnly.fileAttributes(dir));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            publish(temp, target);
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException raced) {
            // another process (or thread) created it first: everyone uses theirs
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            try {
                Files.move(temp, target);
            } catch (FileAlreadyExistsException raced) {
                // as above
            }
        }
    }

    /** Makes the new name durable too (best effort: not every platform can open a directory). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file's own content is on disk already
        }
    }
}
