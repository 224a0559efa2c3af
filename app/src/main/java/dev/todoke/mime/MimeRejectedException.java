package dev.todoke.mime;

import java.io.Serial;

/** The message cannot be parsed safely; {@link #reason()} is one plain English sentence for a 5xx reply. */
public class MimeRejectedException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String reason;

    public MimeRejectedException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** One plain English sentence, safe to put into an SMTP reply (ASCII, no line breaks). */
    public String reason() {
        return reason;
    }
}
