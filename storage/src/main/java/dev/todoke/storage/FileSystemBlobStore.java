package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Blobs as files under one directory, fanned out by the first two characters of the key ({@code
 * ab/abXYZ...}). A put writes to a temporary name in the target directory, fsyncs it, renames it into
 * place atomically and fsyncs the directory: a crash leaves either the whole blob or no blob (plus at
 * most a temporary file, see {@link #deleteTemporaryFiles}). A large blob's data goes to the disk while
 * the rest is still being written ({@link EarlySync}), so that its fsync waits for the last part only.
 * Directories and files it creates are readable by the owner only ({@link OwnerOnly}). Thread-safe.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final String TEMP_PREFIX = ".tmp-";
    private static final int BUFFER = 256 * 1024;
    /** Where a blob's writes start to bypass the page cache (a multiple of {@link #BUFFER}). */
    static final long DIRECT_AFTER = 8L * 1024 * 1024;

    private final Path root;
    private final SecureRandom random;
    /** The alignment of direct writes in {@link #root}; 0 when blobs are written through the page cache. */
    private final int directAlignment;

    /**
     * @param root the directory that holds the blobs; created if absent
     * @throws StorageException when the directory cannot be created
     */
    public FileSystemBlobStore(Path root, SecureRandom random) {
        this(root, random, true);
    }

    /**
     * @param root the directory that holds the blobs; created if absent
     * @param directWrites whether the part of a large blob past {@link #DIRECT_AFTER} is written with
     *     direct I/O where the file system allows it, which a probe write in {@code root} checks once
     *     here (false: always through the page cache)
     * @throws StorageException when the directory cannot be created
     */
    public FileSystemBlobStore(Path root, SecureRandom random, boolean directWrites) {
        this.root = root.toAbsolutePath().normalize();
        this.random = random;
        try {
            OwnerOnly.createDirectories(this.root);
        } catch (IOException e) {
            throw new StorageException("cannot create blob directory " + this.root + ": " + e, e);
        }
        this.directAlignment = directWrites
                ? DirectWrites.alignment(this.root, TEMP_PREFIX + "direct-probe-" + BlobKeys.generate(random))
                : 0;
    }

    /** Whether large blobs are written with direct I/O: asked for, and found to work in the directory. */
    public boolean directWrites() {
        return directAlignment > 0;
    }

    @Override
    public StoredBlob put(InputStream content) {
        String key = BlobKeys.generate(random);
        Path target = path(key);
        Path dir = target.getParent();
        Path temp = dir.resolve(TEMP_PREFIX + key);
        long size = 0;
        boolean moved = false;
        try {
            boolean newDir = !Files.isDirectory(dir);
            if (newDir) {
                OwnerOnly.createDirectories(dir);
                fsyncDirectory(root);
            }
            try (FileChannel out = FileChannel.open(
                    temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OwnerOnly.fileAttributes(dir))) {
                size = write(content, out, temp);
                out.force(true);
            }
            moveAtomically(temp, target);
            moved = true;
            fsyncDirectory(dir);
            return new StoredBlob(key, size);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            if (moved) {
                deleteQuietly(target);
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("cannot store blob in " + root + ": " + e, e);
        }
    }

    /**
     * Writes the content to the open temporary file: through the page cache up to {@link #DIRECT_AFTER};
     * the rest of a large blob, where the file system allows it, with direct I/O ({@link DirectWrites})
     * on a thread of its own ({@link WriteBehindOutputStream}), so that this thread goes on reading the
     * content while the disk writes. Forces run in the background meanwhile ({@link EarlySync}).
     *
     * @return the number of bytes written
     */
    private long write(InputStream content, FileChannel out, Path temp) throws IOException {
        byte[] buffer = new byte[BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        EarlySync sync = new EarlySync(out);
        long size = 0;
        DirectWrites direct = null;
        int n;
        while (direct == null && (n = content.readNBytes(buffer, 0, buffer.length)) > 0) {
            wrapped.clear().limit(n);
            while (wrapped.hasRemaining()) {
                out.write(wrapped);
            }
            size += n;
            sync.written(n);
            if (size == DIRECT_AFTER && n == buffer.length) {
                direct = DirectWrites.open(temp, directAlignment, out, sync, size, BUFFER);
            }
        }
        if (direct != null) {
            try (WriteBehindOutputStream rest = new WriteBehindOutputStream(direct, "todoke-blob-writer")) {
                while ((n = content.readNBytes(buffer, 0, buffer.length)) > 0) {
                    rest.write(buffer, 0, n);
                }
            }
            size = direct.position();
        }
        sync.finish();
        return size;
    }

    @Override
    public InputStream open(String key) {
        return open(key, 0, Long.MAX_VALUE);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        BlobKeys.checkRange(offset, length);
        FileChannel channel = openChannel(key);
        try {
            channel.position(offset);
            return new RangeInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException("cannot read blob " + key + ": " + e, e);
        }
    }

    @Override
    public long size(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot stat blob " + key + ": " + e, e);
        }
    }

    @Override
    public void delete(String key) {
        if (!BlobKeys.isValid(key)) {
            return;
        }
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new StorageException("cannot delete blob " + key + ": " + e, e);
        }
    }

    /**
     * Deletes temporary files that a crashed put left behind, if they are older than {@code minAge}
     * (younger ones may belong to a put in progress).
     *
     * @return how many were deleted
     */
    public int deleteTemporaryFiles(Instant now, Duration minAge) {
        Instant cutoff = now.minus(minAge);
        int deleted = 0;
        try (Stream<Path> files = Files.find(
                root,
                2,
                (p, attrs) -> attrs.isRegularFile()
                        && p.getFileName().toString().startsWith(TEMP_PREFIX)
                        && attrs.lastModifiedTime().toInstant().isBefore(cutoff))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean temporary files in " + root + ": " + e, e);
        }
        return deleted;
    }

    /** The directory blobs are kept in. */
    public Path root() {
        return root;
    }

    private FileChannel openChannel(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobNotFoundException(key);
        }
        try {
            return FileChannel.open(path(key), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot open blob " + key + ": " + e, e);
        }
    }

    private Path path(String key) {
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically", e);
        }
    }

    /** Makes a rename or a new entry durable. Directories cannot be opened on Windows: skipped there. */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    /**
     * Forces a file's data to its disk in the background while it is being written: after every {@link
     * #EVERY} bytes written since the last force started, if none is running, a virtual thread forces
     * what the channel holds so far. The disk then writes while the caller decrypts, encrypts and writes
     * the rest, and the final fsync waits only for what came after the last force (about 90 of the 64 MB
     * blob's 330 ms were that fsync on these machines, docs/benchmarks.md). Confined to the writing thread.
     */
    static final class EarlySync {
        /** Bytes between forces: a small blob (most attachments) is never forced early. */
        static final long EVERY = 8L * 1024 * 1024;

        private final FileChannel channel;
        private long sinceLast;
        private Thread running;
        private volatile IOException failure;

        EarlySync(FileChannel channel) {
            this.channel = channel;
        }

        /** Counts bytes just written; starts a force when enough have come since the last one and none runs. */
        void written(long bytes) {
            sinceLast += bytes;
            if (sinceLast >= EVERY && (running == null || !running.isAlive())) {
                sinceLast = 0;
                running = Thread.ofVirtual().name("blob-early-sync").start(this::force);
            }
        }

        /**
         * Waits for a force still running.
         *
         * @throws IOException what a force failed with
         */
        void finish() throws IOException {
            if (running != null) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the blob was being synced");
                }
            }
            IOException failed = failure;
            if (failed != null) {
                throw failed;
            }
        }

        private void force() {
            try {
                channel.force(false);
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the original failure is what the caller needs to see
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
