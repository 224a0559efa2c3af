package dev.todoke.relay;

import java.util.List;

/** One SMTP reply: its code and every line's text (without the code). */
record SmtpReply(int code, List<String> lines) {

    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean isPositive() {
        return code >= 200 && code < 400;
    }

    boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as one line, for messages and logs, e.g. {@code 550 5.1.1 no such user}. */
    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
