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
     * @param tail the file's ordinary channel, for the last partial block; not closed here
     * @return null when direct I/O is not to be had: the file system refuses it (tmpfs on older kernels,
     *     some network file systems), or its block size does not divide {@code position} and {@code
     *     bufferSize}; the caller then goes on through the page cache
     */
    static DirectWrites open(
            Path file, FileChannel tail, FileSystemBlobStore.EarlySync sync, long position, int bufferSize) {
        if (DIRECT == null) {
            return null;
        }
        try {
            long blockSize = Files.getFileStore(file).getBlockSize();
            if (blockSize <= 0 || bufferSize % blockSize != 0 || position % blockSize != 0) {
                return null;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, DIRECT);
            return new DirectWrites(channel, tail, sync, (int) blockSize, bufferSize, position);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
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
