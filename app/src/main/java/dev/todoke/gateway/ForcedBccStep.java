package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.mime.AddressHeaders;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Forced BCC (強制BCC変換): counts the distinct external addresses (not internal by {@link
 * TodokeProperties#isInternal}) in the top-level To and Cc fields of the raw message; more than {@code
 * todoke.bcc.threshold} (when above 0) marks the transaction {@link MailTransaction#forceBcc() forced BCC}.
 * It decides only: {@link CopiesStep} then gives every external recipient a copy whose header shows only
 * them, also for mail that passes unchanged (no attachments, encrypted), and the receipt says so.
 * Runs after the parse step (the message is known to be readable) and before encrypted/signed, which
 * may pass the mail unchanged. Always continues. Thread-safe.
 */
final class ForcedBccStep implements MailStep {

    private final BccProperties properties;
    private final TodokeProperties todoke;

    ForcedBccStep(BccProperties properties, TodokeProperties todoke) {
        this.properties = properties;
        this.todoke = todoke;
    }

    /** @throws IOException when the spool cannot be read */
    @Override
    public Next apply(MailTransaction mail) throws IOException {
        if (!properties.enabled()) {
            return Next.CONTINUE;
        }
        Set<String> external = new HashSet<>();
        for (String address : AddressHeaders.toAndCc(mail.spool())) {
            if (!todoke.isInternal(address)) {
                external.add(address.toLowerCase(Locale.ROOT));
            }
        }
        if (external.size() > properties.threshold()) {
            mail.forceBcc();
        }
        return Next.CONTINUE;
    }
}
