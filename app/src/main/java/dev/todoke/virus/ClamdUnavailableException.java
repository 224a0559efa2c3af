package dev.todoke.virus;

/**
 * clamd could not be asked: refused or timed-out connection, a connection dropped before the answer,
 * or an answer that is an error ({@code ... ERROR}) or cannot be read. A temporary failure: the mail
 * is answered 451 (fail closed) unless {@code todoke.clamav.fail-open} is set. The message names the
 * cause for the log; it holds no mail content.
 */
public class ClamdUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ClamdUnavailableException(String message) {
        super(message);
    }

    ClamdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
