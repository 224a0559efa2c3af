package dev.todoke.relay;

import java.util.List;

/**
 * Where Todoke sends the mail it has processed: the Postfix re-injection port, a smart host, or the
 * dev outbox when none is configured.
 *
 * <p>{@link #send} delivers one message in one SMTP transaction and returns only when the next hop has
 * accepted it for every recipient. It is thread-safe. The message bytes are sent exactly as given
 * (no re-encoding); the envelope is kept as given (the original MAIL FROM, every RCPT TO).
 *
 * <p>{@link #session} sends several messages one after another, over one connection where the
 * implementation has connections (each message still its own transaction).
 */
public interface NextHop {

    /**
     * Sends one message.
     *
     * @param sender MAIL FROM; empty for the null reverse-path
     * @param recipients RCPT TO, at least one
     * @param message the bytes, re-readable so that an implementation may retry a connection
     * @throws RelayException when the next hop did not accept the message for every recipient
     */
    void send(String sender, List<String> recipients, MessageContent message) throws RelayException;

    /**
     * Opens a session for several messages sent one after another by one thread (the copies and the
     * receipt of one mail). The default sends each through {@link #send}; an implementation with
     * connections keeps one open for the session. Opening connects to nothing yet.
     */
    default Session session() {
        return this::send;
    }

    /**
     * Several sends in a row, each its own transaction with the same contract as {@link NextHop#send}.
     * Not thread-safe: one thread at a time. A failed send leaves the session usable (a later send
     * starts over on a new connection). {@link #close} ends it and never throws.
     */
    @FunctionalInterface
    interface Session extends AutoCloseable {

        /** As {@link NextHop#send}. */
        void send(String sender, List<String> recipients, MessageContent message) throws RelayException;

        @Override
        default void close() {}
    }

    /** A short description for logs and the web UI, e.g. {@code smtp://127.0.0.1:10026} or {@code dev outbox}. */
    String describe();
}
