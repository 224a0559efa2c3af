package dev.todoke.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
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

    /**
     * A key given as base64 in the setting {@code property}.
     *
     * @throws IllegalStateException naming the setting when it is not base64 or holds fewer than {@code
     *     minBytes} bytes
     */
    public static byte[] base64Key(String configured, String property, int minBytes) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " must be base64");
        }
        if (bytes.length < minBytes) {
            throw new IllegalStateException(
                    property + " must hold at least " + minBytes + " bytes (base64 of " + minBytes + " random bytes)");
        }
        return bytes;
    }

    /**
     * The base64 key in {@code file} (the generated stand-in for the setting {@code property}), created
     * with {@code minBytes} fresh random bytes when it is missing.
     *
     * @throws UncheckedIOException when the file can be neither read nor created
     */
    public static byte[] base64KeyFile(Path file, String property, int minBytes, SecureRandom random) {
        try {
            byte[] text = readOrCreate(file, () -> {
                byte[] fresh = new byte[minBytes];
                random.nextBytes(fresh);
                return (Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII);
            });
            return base64Key(new String(text, StandardCharsets.US_ASCII), property, minBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + " (for " + property + ")", e);
        }
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
