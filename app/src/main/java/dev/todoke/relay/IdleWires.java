package dev.todoke.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next hop's open connections between sessions (ADR 0161): at most {@code max}, most recently kept
 * first; one kept longer than {@code timeout} is ended with {@code QUIT} and closed instead of handed out.
 * A connection handed out may still have been closed by the far side: the taker checks it ({@code RSET}).
 * Thread-safe.
 */
final class IdleWires implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleWires.class);

    /** An open connection with the extensions its EHLO announced, kept since {@code since} (nanoTime). */
    record Idle(SmtpWire wire, Set<String> extensions, long since) {}

    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();
    private final int max;
    private final long timeoutNanos;

    IdleWires(int max, Duration timeout) {
        this.max = max;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The most recently kept connection that is not too old; null when there is none. */
    Idle take() {
        Idle kept;
        while ((kept = idle.pollFirst()) != null) {
            if (!expired(kept)) {
                return kept;
            }
            retire(kept);
        }
        return null;
    }

    /** Keeps a connection if there is room; false when the caller has to end it. */
    boolean keep(SmtpWire wire, Set<String> extensions) {
        for (Idle kept : idle) {
            if (expired(kept) && idle.remove(kept)) {
                retire(kept);
            }
        }
        if (max == 0 || idle.size() >= max) {
            return false;
        }
        idle.addFirst(new Idle(wire, extensions, System.nanoTime()));
        return true;
    }

    /** Ends every kept connection. */
    @Override
    public void close() {
        Idle kept;
        while ((kept = idle.pollFirst()) != null) {
            retire(kept);
        }
    }

    private boolean expired(Idle kept) {
        return System.nanoTime() - kept.since() >= timeoutNanos;
    }

    /** QUIT (waiting at most a second for the reply: the connection may be half dead) and close. */
    private static void retire(Idle kept) {
        try {
            kept.wire().setTimeout(1000);
            kept.wire().command("QUIT");
        } catch (IOException e) {
            log.debug("idle connection to the next hop already gone", e);
        }
        try {
            kept.wire().close();
        } catch (IOException e) {
            log.debug("close failed", e);
        }
    }
}
