package dev.todoke.relay;

/**
 * The next hop did not take a message. {@link #isPermanent()} is true only when the next hop answered
 * 5xx for the whole message; connection trouble and 4xx are temporary.
 */
public class RelayException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public RelayException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
