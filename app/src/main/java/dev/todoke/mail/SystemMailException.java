package dev.todoke.mail;

/**
 * A system mail could not be handed to the next hop. {@link #isTemporary()} says whether trying again
 * later may help (connection trouble, a 4xx) or not (a 5xx for the whole message, a bad address).
 */
public class SystemMailException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean temporary;

    public SystemMailException(String message, boolean temporary, Throwable cause) {
        super(message, cause);
        this.temporary = temporary;
    }

    public boolean isTemporary() {
        return temporary;
    }
}
