package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable view of part of a backend blob, from {@code base} to its end, for Tink's
 * seekable decrypting channel. It serves the first bytes from a prefix already read, and otherwise
 * keeps one ranged backend stream open while reads are sequential, reopening on a seek. Streams are
 * opened up to {@code readLimit} (the end of the last segment a range needs), so an S3 backend is
 * never asked for more than the range touches.
 */
final class BlobChannel implements SeekableByteChannel {

    private final BlobStore backend;
    private final String key;
    private final long base;
    private final long size;
    private final long readLimit;
    private final byte[] prefix;
    private long position;
    private InputStream stream;
    private long streamPosition = -1;
    private boolean open = true;

    BlobChannel(BlobStore backend, String key, long base, long size, long readLimit, byte[] prefix) {
        this.backend = backend;
        this.key = key;
        this.base = base;
        this.size = size;
        this.readLimit = Math.min(readLimit, size);
        this.prefix = prefix;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            int n;
            if (position < prefix.length) {
                n = Math.min(dst.remaining(), (int) (prefix.length - position));
                dst.put(prefix, (int) position, n);
            } else {
                n = readBackend(dst);
                if (n < 0) {
                    break; // the backend blob ended early: the decrypter reports the truncation
                }
            }
            position += n;
            total += n;
        }
        return total == 0 ? -1 : total;
    }

    private int readBackend(ByteBuffer dst) throws IOException {
        if (stream == null || streamPosition != position) {
            closeStream();
            long end = position < readLimit ? readLimit : size;
            try {
                stream = backend.open(key, base + position, end - position);
            } catch (StorageException e) {
                throw new IOException(e.getMessage(), e);
            }
            streamPosition = position;
        }
        int want = (int) Math.min(dst.remaining(), size - position);
        int n;
        if (dst.hasArray()) {
            n = stream.read(dst.array(), dst.arrayOffset() + dst.position(), want);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            byte[] buffer = new byte[want];
            n = stream.read(buffer, 0, want);
            if (n > 0) {
                dst.put(buffer, 0, n);
            }
        }
        if (n > 0) {
            streamPosition += n;
        } else if (n == 0) {
            n = -1; // a blocking stream returns 0 only at its end
        }
        return n;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream s = stream;
            stream = null;
            s.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
