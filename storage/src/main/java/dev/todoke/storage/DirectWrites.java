package dev.todoke.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rest of a large blob written with direct I/O ({@code O_DIRECT}): from an aligned buffer of ours to
 * the disk, without a copy into the page cache (ADR 0200). Bytes are gathered into whole blocks of the
 * file system, written at block-aligned positions; on {@link #close} the last partial block, if any,
 * goes through the blob's ordinary channel. The caller's fsync then makes all of it durable. Each write
 * is told to the blob's {@link FileSystemBlobStore.EarlySync}, so that the disk's cache is flushed while
 * the rest is written. Confined to one thread (the write-behind thread in {@link FileSystemBlobStore}).
 */
final class DirectWrites extends OutputStream {

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: it lives in the JDK's
     * {@code jdk.unsupported} module, which javac flags as proprietary API (and the build treats warnings
     * as errors). Null on a JDK without it: blobs are then written through the page cache.
     */
    private static final OpenOption DIRECT = directOption();

    private static final int MIN_ALIGNMENT = 4096;

    private final FileChannel channel;
    private final FileChannel tail;
    private final FileSystemBlobStore.EarlySync sync;
    private final ByteBuffer aligned;
    private final int alignment;
    private long position;

    private DirectWrites(
            FileChannel channel,
            FileChannel tail,
            FileSystemBlobStore.EarlySync sync,
            int alignment,
            int bufferSize,
            long position) {
        this.channel = channel;
        this.tail = tail;
        this.sync = sync;
        this.alignment = alignment;
        this.aligned = ByteBuffer.allocateDirect(bufferSize + alignment)
                .alignedSlice(alignment)
                .limit(bufferSize)
                .slice();
        this.position = position;
    }

    /**
     * Opens the file a second time, for direct writes from {@code position} on.
     *
     * @param alignment what {@link #alignment} found for the file's directory
     * @param tail the file's ordinary channel, for the last partial block; not closed here
     * @return null when direct I/O is not to be had: the alignment does not divide {@code position} and
     *     {@code bufferSize}, or the file system refuses to open the file so; the caller then goes on
     *     through the page cache
     */
    static DirectWrites open(
            Path file,
            int alignment,
            FileChannel tail,
            FileSystemBlobStore.EarlySync sync,
            long position,
            int bufferSize) {
        if (DIRECT == null || alignment <= 0 || bufferSize % alignment != 0 || position % alignment != 0) {
            return null;
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, DIRECT);
            return new DirectWrites(channel, tail, sync, alignment, bufferSize, position);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * The alignment of direct writes in {@code dir}, once one aligned block written directly to a probe
     * file (named as a temporary file of the store, so that a crash leaves nothing the store does not
     * clean, and deleted at once) has shown that they work; 0 where they do not (tmpfs on older kernels,
     * some network file systems, a JDK without the option). Some file systems take {@code O_DIRECT} when
     * opening and refuse the writes: a store that relied on them would refuse every large blob. The
     * alignment is the file system's block size, and at least 4 KiB, the logical sector of many disks (a
     * file system of 1 KiB blocks on such a disk takes only whole sectors).
     */
    static int alignment(Path dir, String probeName) {
        if (DIRECT == null) {
            return 0;
        }
        Path probe = dir.resolve(probeName);
        try {
            long blockSize = Files.getFileStore(dir).getBlockSize();
            if (blockSize <= 0 || blockSize > Integer.MAX_VALUE / 2) {
                return 0;
            }
            int alignment = (int) Math.max(MIN_ALIGNMENT, blockSize);
            ByteBuffer block = ByteBuffer.allocateDirect(2 * alignment)
                    .alignedSlice(alignment)
                    .limit(alignment)
                    .slice();
            try (FileChannel channel =
                    FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, DIRECT)) {
                while (block.hasRemaining()) {
                    channel.write(block, block.position());
                }
            }
            return alignment;
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the store's clean-up of temporary files removes it
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, aligned.remaining());
            aligned.put(bytes, offset, n);
            offset += n;
            length -= n;
            if (!aligned.hasRemaining()) {
                writeWholeBlocks();
            }
        }
    }

    /** Writes the whole blocks gathered, and the last partial one through the ordinary channel. */
    @Override
    public void close() throws IOException {
        try (channel) {
            writeWholeBlocks();
            int rest = aligned.position();
            if (rest > 0) {
                ByteBuffer last = aligned.flip();
                while (last.hasRemaining()) {
                    tail.write(last, position + last.position());
                }
                position += rest;
                sync.written(rest);
            }
        }
    }

    /** The file's size so far: where the next write goes. */
    long position() {
        return position;
    }

    private void writeWholeBlocks() throws IOException {
        int gathered = aligned.position();
        int whole = gathered - gathered % alignment;
        if (whole == 0) {
            return;
        }
        aligned.flip().limit(whole);
        while (aligned.hasRemaining()) {
            channel.write(aligned, position + aligned.position());
        }
        aligned.limit(gathered).compact();
        position += whole;
        sync.written(whole);
    }

    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption")
                    .getField("DIRECT")
                    .get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }
}
