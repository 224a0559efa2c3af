package dev.todoke.gateway;

import dev.todoke.gateway.MailTransaction.AddedRecipient;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto-added recipients (宛先自動追加): each rule of {@code todoke.recipients.auto-add} whose {@code
 * match-sender} matches the envelope sender adds its address to the envelope as a Bcc recipient, unless
 * the envelope already holds it. Only the envelope changes, never a header, so no copy shows the added
 * address (a Bcc). Runs after the direction step (outbound mail only) and before the TLS check and the
 * recipient policy, so the added recipients get checks and decisions like any other; an {@code original}
 * recipient gets the original with its attachments ({@link RecipientPolicyStep}). The receipt lists them.
 * Always continues. Thread-safe.
 */
final class AutoAddStep implements MailStep {

    private static final Logger log = LoggerFactory.getLogger(AutoAddStep.class);

    private final List<AutoAddProperties.Rule> rules;

    AutoAddStep(AutoAddProperties properties) {
        this.rules = properties.autoAdd();
    }

    @Override
    public Next apply(MailTransaction mail) {
        String sender = mail.envelope().sender();
        for (int i = 0; i < rules.size(); i++) {
            AutoAddProperties.Rule rule = rules.get(i);
            if (!rule.matches(sender) || contains(mail.envelope().recipients(), rule.address())) {
                continue;
            }
            mail.addRecipient(
                    new AddedRecipient(rule.address(), rule.original(), "todoke.recipients.auto-add[" + i + "]"));
            log.debug("Auto-added recipient #{} (Bcc) to mail from <{}>", i, sender);
        }
        return Next.CONTINUE;
    }

    private static boolean contains(List<String> recipients, String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        return recipients.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(wanted));
    }
}
