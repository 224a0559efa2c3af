package dev.todoke.mime;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Forced BCC for one copy: its header shows only its own recipient. The copy's {@code To} is that
 * recipient (as the original To or Cc wrote it, display name included, else the bare address), its
 * {@code Cc} holds only the original To and Cc mailboxes that {@code keepInCc} accepts (removed when
 * none), and it has no {@code Bcc}. Kept mailboxes keep their octets (encoded words untouched).
 *
 * @param recipient the address of the copy's recipient (the envelope recipient)
 * @param keepInCc called with each other mailbox's address; true keeps it in {@code Cc}
 */
public record OnlyRecipient(String recipient, Predicate<String> keepInCc) {

    public OnlyRecipient {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(keepInCc, "keepInCc");
        if (recipient.indexOf('\r') >= 0 || recipient.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a recipient address has no line break");
        }
    }
}
