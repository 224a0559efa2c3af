package dev.todoke.smtp;

/**
 * An SMTP reply other than success, carried as an exception: 4xx asks the client to retry later, 5xx
 * refuses permanently. The text goes to the client verbatim, so it must say what happened in plain
 * words and contain nothing secret.
 */
public class SmtpRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String enhancedStatus;

    public SmtpRejection(int code, String enhancedStatus, String text) {
        this(code, enhancedStatus, text, null);
    }

    public SmtpRejection(int code, String enhancedStatus, String text, Throwable cause) {
        super(text, cause);
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("not a failure reply code: " + code);
        }
        this.code = code;
        this.enhancedStatus = enhancedStatus;
    }

    /** 451 4.3.0: temporary trouble on our side; the client keeps the mail and retries. */
    public static SmtpRejection temporary(String text, Throwable cause) {
        return new SmtpRejection(451, "4.3.0", text, cause);
    }

    public int code() {
        return code;
    }

    public String enhancedStatus() {
        return enhancedStatus;
    }

    public boolean isTemporary() {
        return code < 500;
    }

    /** The whole reply line as sent to the client, e.g. {@code 451 4.3.0 Storage unavailable}. */
    public String replyLine() {
        return code + " " + enhancedStatus + " " + getMessage();
    }
}
