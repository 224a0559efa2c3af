package dev.todoke.relay;

import java.util.List;

/**
 * Where Todoke sends the mail it has processed: the Postfix re-injection port, a smart host, or the
 * dev outbox when none is configured.
 *
 * <p>{@link #send} delivers one message in one SMTP transaction and returns only when the next hop has
 * accepted it for every recipient. It is thread-safe. The message bytes are sent exactly as given
 * (no re-encoding); the envelope is kept as given (the original MAIL FROM, every RCPT TO).
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

    /** A short description for logs and the web UI, e.g. {@code smtp://127.0.0.1:10026} or {@code dev outbox}. */
    String describe();
}
