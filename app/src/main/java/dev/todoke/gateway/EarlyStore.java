package dev.todoke.gateway;

import dev.todoke.mime.Attachment;
import dev.todoke.mime.Base64Bodies;
import dev.todoke.smtp.SpoolWatch;
import dev.todoke.storage.BlobStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a large message's base64 attachments while DATA is still arriving (ADR 0198): a thread of its
 * own follows the spool file as the listener writes it, finds the large base64 bodies ({@link
 * Base64Bodies}) and puts each, decoded and digested, into the blob store. The {@link StoreStep} then
 * {@linkplain #adopt adopts} a blob only for an attachment that the structure scan found at exactly the
 * same bytes, and stores every other attachment as usual; {@link #close} cancels what is still running
 * and deletes every blob nobody adopted. One per transaction; thread-safe.
 */
final class EarlyStore implements SpoolWatch, Base64Bodies.Source {

    private static final Logger log = LoggerFactory.getLogger(EarlyStore.class);

    /** Encoded size from which a body is stored early: smaller ones cost more to hand over than they save. */
    static final long MIN_BODY = 1024 * 1024;

    /** A blob stored early for the base64 body at {@code [start, end)} of the spool. */
    private record Found(long start, long end, AttachmentStore.Put blob) {}

    /**
     * What a closed early store did, for the meter and the purger: blobs adopted, blobs deleted unused,
     * and the keys of unused ones whose delete failed.
     */
    record Closed(EarlyStore early, int adopted, int unused, List<String> undeleted) {}

    /** Thrown into the following thread's reads once the watch is cancelled. */
    private static final class Cancelled extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("early store cancelled");
        }
    }

    private final Path spool;
    private final BlobStore store;
    private final AttachmentStore attachments;
    private final Consumer<Closed> onClose;
    private final Object lock = new Object();
    /** Blobs stored and not adopted yet. */
    private final List<Found> found = new ArrayList<>();

    private int adopted;
    private long published;
    private boolean ended;
    private boolean cancelled;
    private boolean closed;
    private Thread thread;
    private FileChannel channel;

    EarlyStore(Path spool, BlobStore store, Consumer<Closed> onClose) {
        this.spool = spool;
        this.store = store;
        this.attachments = new AttachmentStore(store);
        this.onClose = onClose;
    }

    Path spool() {
        return spool;
    }

    @Override
    public void grown(long length) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            published = Math.max(published, length);
            if (thread == null) {
                log.debug("Following {} from {} octets", spool, length);
                thread = Thread.ofPlatform().daemon().name("todoke-early-store").start(this::run);
            }
            lock.notifyAll();
        }
    }

    @Override
    public void ended(boolean complete) {
        log.debug("DATA of {} ended ({})", spool, complete ? "complete" : "incomplete");
        synchronized (lock) {
            ended = true;
            cancelled |= !complete;
            lock.notifyAll();
        }
    }

    /**
     * The blob stored early for this attachment, once the following thread is done; empty when there is
     * none for exactly its bytes. A blob is adopted once: from then on its key belongs to the caller.
     */
    Optional<AttachmentStore.Put> adopt(Attachment attachment) {
        if (!awaitThread()) {
            return Optional.empty();
        }
        synchronized (lock) {
            for (Found f : found) {
                if (attachment.isBase64Body(f.start(), f.end())) {
                    found.remove(f);
                    adopted++;
                    log.debug("Attachment {} of {} was stored while DATA arrived", attachment.ordinal(), spool);
                    return Optional.of(f.blob());
                }
            }
        }
        return Optional.empty();
    }

    /** Cancels the following thread, waits for it, deletes what was stored and not adopted. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            cancelled = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (true) {
            try {
                join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Found> left;
        int taken;
        synchronized (lock) {
            left = List.copyOf(found);
            found.clear();
            taken = adopted;
        }
        List<String> undeleted = new ArrayList<>();
        for (Found f : left) {
            try {
                store.delete(f.blob().key());
            } catch (RuntimeException e) {
                log.warn(
                        "Could not delete a blob stored early and not used ({}): {}",
                        f.blob().key(),
                        e.toString());
                undeleted.add(f.blob().key());
            }
        }
        onClose.accept(new Closed(this, taken, left.size(), undeleted));
    }

    /** Waits for the following thread; false when interrupted (the flag is kept). */
    private boolean awaitThread() {
        try {
            join();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void join() throws InterruptedException {
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (t != null) {
            t.join();
        }
    }

    @Override
    public int read(long position, byte[] bytes, int offset, int length) throws IOException {
        long available;
        synchronized (lock) {
            while (!cancelled && position >= published && !ended) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled();
                }
            }
            if (cancelled) {
                throw new Cancelled();
            }
            available = published - position;
        }
        if (available <= 0) {
            return -1;
        }
        if (channel == null) {
            channel = FileChannel.open(spool, StandardOpenOption.READ);
        }
        return channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, available)), position);
    }

    /** The following thread. */
    private void run() {
        try {
            Base64Bodies.scan(this, MIN_BODY, this::store);
        } catch (Cancelled e) {
            log.debug("Early store of {} cancelled", spool);
        } catch (IOException | RuntimeException e) {
            log.debug("Early store of {} ended: {}", spool, e.toString());
        } finally {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                log.debug("Closing the spool {} failed", spool, e);
            }
        }
    }

    /** Puts one body; a body that is not plain base64 is left to the usual path, and the scan goes on. */
    private void store(Base64Bodies.Body body) throws IOException {
        AttachmentStore.Put blob;
        try {
            blob = attachments.put(body.decoded(), true, null);
        } catch (RuntimeException e) { // the store's failure, or a failure to read the body
            synchronized (lock) {
                if (cancelled) {
                    throw new Cancelled();
                }
            }
            if (body.end() < 0) {
                log.debug("A base64 body of {} is not plain: stored as usual later ({})", spool, e.toString());
                return;
            }
            throw e;
        }
        synchronized (lock) {
            found.add(new Found(body.start(), body.end(), blob));
        }
        log.debug("Stored the base64 body at [{}, {}) of {} while DATA arrived", body.start(), body.end(), spool);
    }
}
