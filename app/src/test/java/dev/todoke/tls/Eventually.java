package dev.todoke.tls;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition in the TLS tests, polling; fails the test when it does not hold in time. */
final class Eventually {

    private Eventually() {}

    static void within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition did not hold within " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
