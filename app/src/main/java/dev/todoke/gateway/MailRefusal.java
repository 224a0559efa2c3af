package dev.todoke.gateway;

/**
 * A step's permanent refusal of a mail: the 5xx reply it asks for and why, for the audit. {@link
 * GatewayFilter} audits it ({@code mail-refused}) and answers the client with it.
 */
final class MailRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final String enhancedStatus;
    private final String reason;

    /**
     * @param enhancedStatus the enhanced status code, e.g. {@code 5.7.1}
     * @param text the reply text, sent to the client verbatim: plain words, nothing secret
     * @param reason why, in a few words, for the log when the refusal cannot be audited
     */
    MailRefusal(String enhancedStatus, String text, String reason) {
        super(text);
        if (!enhancedStatus.startsWith("5.")) {
            throw new IllegalArgumentException("not a permanent enhanced status: " + enhancedStatus);
        }
        this.enhancedStatus = enhancedStatus;
        this.reason = reason;
    }

    /** The reply code: always 554 (transaction failed) after DATA. */
    int code() {
        return 554;
    }

    String enhancedStatus() {
        return enhancedStatus;
    }

    String text() {
        return getMessage();
    }

    String reason() {
        return reason;
    }
}
