package dev.todoke.gateway;

/**
 * Wakes the held-mail scheduler now instead of at its next tick: after the sender chose "send now" or the
 * approver decided, so that the mail (or the sender's notice) goes out at once. Returns at once; the
 * work runs in the background. Thread-safe.
 */
public interface HoldWake {

    void wake();
}
