package dev.todoke.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;

/**
 * An output stream whose bytes a thread of its own writes to the target, so that the writing thread
 * only copies them into a block (ADR 0197). At most {@link #BLOCKS} blocks of {@link #BLOCK} bytes exist,
 * allocated as needed: a writer that gets ahead of the target waits for a free block, so memory stays
 * bounded whatever is written. The bytes reach the target in order, and all of them by {@link #close},
 * which waits for the thread, closes the target and throws what the target threw. After a failure of the
 * target the thread discards what follows, and {@link #write} throws that failure. Not thread-safe: one
 * writing thread. Used for the spool of a large message (ADR 0197) and for the part of a large blob
 * written with direct I/O ({@link FileSystemBlobStore}, ADR 0200).
 */
public final class WriteBehindOutputStream extends OutputStream {

    /** The size of a block, in bytes. */
    public static final int BLOCK = 256 * 1024;

    /** The most blocks one stream holds at once. */
    public static final int BLOCKS = 4;

    private record Block(byte[] bytes, int length) {}

    private static final Block END = new Block(new byte[0], -1);

    private final OutputStream target;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final Thread writer;
    private volatile IOException failure;
    private int allocated;
    private byte[] current;
    private int position;
    private boolean closed;

    /** Told, after each block, how many octets the target holds (flushed); may be null. */
    private final LongConsumer written;

    /** Octets the target holds, counted by the thread. */
    private long count;

    /** Starts the writing thread, a platform daemon thread named {@code threadName}. */
    public WriteBehindOutputStream(OutputStream target, String threadName) {
        this(target, threadName, 0, null);
    }

    /**
     * As {@link #WriteBehindOutputStream(OutputStream, String)}; after writing each block the thread
     * flushes the target and tells {@code written} how many octets it holds, counting from {@code
     * alreadyWritten} (what was written to the target before this stream).
     */
    public WriteBehindOutputStream(OutputStream target, String threadName, long alreadyWritten, LongConsumer written) {
        this.target = target;
        this.count = alreadyWritten;
        this.written = written;
        this.writer = Thread.ofPlatform().daemon().name(threadName).start(this::drain);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("write-behind stream closed");
        }
        throwFailure();
        while (length > 0) {
            if (current == null) {
                current = nextBlock();
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(bytes, offset, current, position, n);
            position += n;
            offset += n;
            length -= n;
            if (position == current.length) {
                handOver();
            }
        }
    }

    /**
     * Hands what is written so far to the thread without waiting for it to reach the target: only
     * {@link #close} guarantees that.
     */
    @Override
    public void flush() throws IOException {
        throwFailure();
        if (current != null && position > 0) {
            handOver();
        }
    }

    /** Waits until the thread has written everything, closes the target; throws the target's failure. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        try {
            if (current != null && position > 0) {
                interrupted = putUninterruptibly(new Block(current, position));
            }
            current = null;
            interrupted |= putUninterruptibly(END);
            while (true) {
                try {
                    writer.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            target.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        throwFailure();
    }

    private byte[] nextBlock() throws IOException {
        byte[] block = free.poll();
        if (block != null) {
            return block;
        }
        if (allocated < BLOCKS) {
            allocated++;
            return new byte[BLOCK];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the write-behind thread");
        }
    }

    private void handOver() throws IOException {
        Block block = new Block(current, position);
        current = null;
        try {
            full.put(block);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing a block to the write-behind thread");
        }
    }

    /** Puts a block that must reach the thread even when interrupted; true if this thread was interrupted. */
    private boolean putUninterruptibly(Block block) {
        boolean interrupted = false;
        while (true) {
            try {
                full.put(block);
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private void throwFailure() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw e;
        }
    }

    /** The thread: writes each block in order until the end, discarding what follows a failure. */
    private void drain() {
        while (true) {
            Block block;
            try {
                block = full.take();
            } catch (InterruptedException e) {
                // nobody interrupts this thread but the JVM's end: the writer side then no longer waits
                return;
            }
            if (block == END) {
                return;
            }
            if (failure == null) {
                try {
                    target.write(block.bytes(), 0, block.length());
                    if (written != null) {
                        target.flush();
                        count += block.length();
                        written.accept(count);
                    }
                } catch (Throwable e) { // anything: the writer must not wait for ever for a block
                    failure = e instanceof IOException io ? io : new IOException("write-behind failed", e);
                }
            }
            free.offer(block.bytes());
        }
    }
}
