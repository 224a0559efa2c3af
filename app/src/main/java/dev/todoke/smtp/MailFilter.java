package dev.todoke.smtp;

import java.nio.file.Path;
import java.util.List;

/**
 * What the SMTP listener hands each accepted mail transaction to: the gateway.
 *
 * <p>Called once per transaction, after DATA has been received completely and spooled to {@code
 * message} (the raw bytes as received, with CRLF line ends and dot-stuffing removed). The listener
 * answers 250 only when this returns normally, so an implementation returns only after every file
 * and its metadata are durable and the next hop has accepted every copy. Called from many threads at
 * once; the spool file belongs to the caller, who deletes it afterwards.
 *
 * @see SmtpRejection for how to answer 4xx or 5xx
 */
public interface MailFilter {

    /**
     * Processes one mail transaction completely.
     *
     * @throws SmtpRejection to answer the client with its code and text instead of 250; any other
     *     exception is answered 451 (temporary) so the upstream MTA retries
     */
    void process(Envelope envelope, Path message) throws SmtpRejection;

    /**
     * Called once while DATA is still arriving, when a message has grown large, with the spool file that
     * {@link #process} will get: the filter may start work on what is there (ADR 0198). The default
     * watches nothing.
     */
    default SpoolWatch watch(String sender, List<String> recipients, Path message) {
        return SpoolWatch.NONE;
    }
}
