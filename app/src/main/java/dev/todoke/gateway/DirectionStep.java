package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direction: Todoke rewrites only outbound mail, whose envelope sender is in an internal domain ({@code
 * todoke.internal-domains}, subdomains included) or is the null sender {@code <>} (a bounce or an
 * auto-reply from the organisation's own MTA: the listener takes mail only from its allowed networks,
 * and such mail must not carry a file out either). Mail from any other sender is inbound or relayed
 * through: it passes unchanged to all its recipients, and Todoke sends nothing (no receipt, no notice,
 * no link) to that sender, whose address anyone could have written. Thread-safe; never fails.
 */
final class DirectionStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(DirectionStep.class);

    private final TodokeProperties todoke;

    DirectionStep(TodokeProperties todoke) {
        this.todoke = todoke;
    }

    @Override
    public Next apply(MailTransaction mail) {
        String sender = mail.envelope().sender();
        if (sender.isEmpty() || todoke.isInternalDomain(sender)) {
            mail.markOutbound();
            return Next.CONTINUE;
        }
        log.debug("Mail from <{}>, outside the internal domains, passes unchanged", sender);
        return Next.PASS_UNCHANGED;
    }
}
