package dev.todoke.smtp;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Graceful shutdown of the listener: counts the transactions being processed, and once draining,
 * makes the listener refuse new work with 421 while it waits for those to finish. Thread-safe.
 */
final class Drain {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;
    private volatile boolean draining;

    boolean isDraining() {
        return draining;
    }

    void enter() {
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
    }

    void leave() {
        lock.lock();
        try {
            if (--active == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts draining and waits until no transaction is being processed, or the timeout passes. */
    boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (active > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Accepts work again after a {@link #drain}: the listener was started anew. */
    void reopen() {
        draining = false;
    }
}
