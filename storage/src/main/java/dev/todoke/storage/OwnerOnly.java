package dev.todoke.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and directories Todoke writes are readable by their owner only: {@code rw-------} for files,
 * {@code rwx------} for directories, set when they are created (never a window in which they are
 * wider). On a file system without POSIX permissions (Windows) they are created plainly. Existing
 * directories are left as they are: the operator chose them. Stateless and thread-safe.
 */
public final class OwnerOnly {

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly() {}

    /**
     * Creates {@code dir} and any missing parents, each {@code rwx------}; does nothing when it exists.
     *
     * @return {@code dir}
     * @throws IOException when a directory cannot be created
     */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return Files.createDirectories(dir, directoryAttributes(dir));
    }

    /** Attributes for a new file in {@code dir} ({@code rw-------} where POSIX permissions exist). */
    public static FileAttribute<?>[] fileAttributes(Path dir) throws IOException {
        return attributes(dir, "rw-------");
    }

    /** Attributes for a new directory at or below {@code dir} ({@code rwx------} where POSIX exists). */
    public static FileAttribute<?>[] directoryAttributes(Path dir) throws IOException {
        return attributes(dir, "rwx------");
    }

    /**
     * Asks the file system, not the file store: {@code Files.getFileStore} reads the mount table on every
     * call (about 0.1 ms here, per blob written), and where the file system is POSIX (Linux, macOS) the
     * mode given at creation is harmless on a store without POSIX permissions (a FAT volume ignores it).
     */
    private static FileAttribute<?>[] attributes(Path dir, String permissions) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return NONE;
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        };
    }
}
