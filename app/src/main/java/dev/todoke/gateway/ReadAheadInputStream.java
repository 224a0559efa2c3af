package dev.todoke.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a source stream ahead on a virtual thread, so that the work behind the source (reading the spool,
 * decoding, digesting) runs on one core while the reader's work (encrypting, writing) runs on another.
 *
 * <p>The producer fills buffers of {@link #BUFFER_SIZE} bytes and hands them over a queue; the consumer
 * gives each back once it has read it, and the producer reuses it. There are at most {@code depth + 1}
 * buffers, allocated as they are first needed: the source is never read more than {@code (depth + 1) *
 * bufferSize} bytes beyond what the consumer has read, however long the stream.
 *
 * <p>Whatever the producer throws (an {@link IOException}, a {@link RuntimeException}, an {@link Error}) is
 * thrown, the same object, to the consumer at its next read, once the buffers before it have been read.
 *
 * <p>{@link #close()} stops the producer and waits for it to end, then closes the source: once it returns
 * the source is closed and no longer read. To stop a producer blocked in the source, close interrupts it
 * (enough for an interruptible source: a {@code FileChannel}, which the interrupt closes, a pipe); if it
 * is still reading after {@link #CLOSE_GRACE_MILLIS}, close closes the source under it (enough for a
 * source that ignores interrupts but fails its read when closed: a socket). A source that ignores both
 * keeps close waiting until its read returns.
 *
 * <p>One consumer thread; not safe for concurrent reads.
 */
final class ReadAheadInputStream extends InputStream {

    static final int BUFFER_SIZE = 64 * 1024;
    static final int DEPTH = 4;
    static final long CLOSE_GRACE_MILLIS = 100;

    /** A filled buffer, or the end: {@code buffer == null}, with the producer's failure if any. */
    private record Chunk(byte[] buffer, int length, Throwable failure) {}

    private final InputStream source;
    private final int bufferSize;
    private final int maxBuffers;
    /** Filled chunks and at most one end marker, in order; never more than maxBuffers + 1 entries. */
    private final BlockingQueue<Chunk> filled;
    /** Buffers the consumer has read, for the producer to reuse. */
    private final BlockingQueue<byte[]> free;

    private final Thread producer;
    private volatile boolean closed;
    private boolean sourceClosed;

    // consumer state
    private byte[] current;
    private int position;
    private int limit;
    private Chunk end;

    ReadAheadInputStream(InputStream source) {
        this(source, BUFFER_SIZE, DEPTH);
    }

    ReadAheadInputStream(InputStream source, int bufferSize, int depth) {
        if (bufferSize < 1 || depth < 1) {
            throw new IllegalArgumentException("bufferSize and depth must be positive");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.bufferSize = bufferSize;
        this.maxBuffers = depth + 1;
        this.filled = new ArrayBlockingQueue<>(maxBuffers + 1);
        this.free = new ArrayBlockingQueue<>(maxBuffers);
        this.producer = Thread.ofVirtual().name("todoke-read-ahead").start(this::produce);
    }

    private void produce() {
        int allocated = 0;
        try {
            while (!closed) {
                byte[] buffer = free.poll();
                if (buffer == null) {
                    if (allocated < maxBuffers) {
                        buffer = new byte[bufferSize];
                        allocated++;
                    } else {
                        buffer = free.take(); // the consumer is behind: wait for it
                    }
                }
                int length = 0;
                int n = 0;
                try {
                    while (length < buffer.length && (n = source.read(buffer, length, buffer.length - length)) >= 0) {
                        length += n;
                    }
                } finally {
                    // on a failure too: the bytes read before it come first, as without the read-ahead
                    if (length > 0) {
                        // never blocks: at most maxBuffers buffers exist, and the queue holds one more entry
                        filled.add(new Chunk(buffer, length, null));
                    }
                }
                if (n < 0) {
                    // The source's last read returned -1, so whatever wraps it (a DigestInputStream) has
                    // seen every byte. The queue hand-off orders these writes (the buffers' bytes and the
                    // digest's state) before the consumer's take of this marker: a consumer that has seen
                    // the end sees the complete digest.
                    filled.add(new Chunk(null, 0, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // only close interrupts the producer; closed is already set
        } catch (Throwable t) {
            if (!closed) {
                filled.add(new Chunk(null, 0, t));
            }
            // after close nobody reads the failure: the source was stopped under the producer
        }
    }

    @Override
    public int read() throws IOException {
        if (!ready()) {
            return -1;
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!ready()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : limit - position;
    }

    /** True when the current buffer has bytes to read, taking the next chunk if needed; false at the end. */
    private boolean ready() throws IOException {
        ensureOpen();
        if (current != null && position < limit) {
            return true;
        }
        if (current != null) {
            free.add(current); // never blocks: the queue holds every buffer there is
            current = null;
        }
        if (end != null) {
            return rethrowOrEnd(end);
        }
        // poll first: a chunk already there is read even by an interrupted thread
        Chunk chunk = filled.poll();
        try {
            if (chunk == null) {
                chunk = filled.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the read-ahead");
        }
        if (chunk.buffer() == null) {
            end = chunk;
            return rethrowOrEnd(chunk);
        }
        current = chunk.buffer();
        position = 0;
        limit = chunk.length();
        return true;
    }

    private static boolean rethrowOrEnd(Chunk end) throws IOException {
        switch (end.failure()) {
            case null -> {
                return false;
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException("read-ahead failed", end.failure());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    /**
     * Stops the producer, waits for it, and closes the source (see the class comment for a source blocked
     * in a read). Keeps waiting if the calling thread is interrupted, and restores its interrupt status.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        IOException closeFailure = null;
        try {
            producer.interrupt();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
            while (producer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && !sourceClosed) {
                    // still in the source after the grace: close it under the producer to fail its read
                    sourceClosed = true;
                    try {
                        source.close();
                    } catch (IOException e) {
                        closeFailure = e;
                    }
                    continue;
                }
                try {
                    if (sourceClosed) {
                        producer.join();
                    } else {
                        producer.join(Duration.ofNanos(left));
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        current = null;
        filled.clear();
        free.clear();
        if (!sourceClosed) {
            sourceClosed = true;
            source.close();
        } else if (closeFailure != null) {
            throw closeFailure;
        }
    }
}
