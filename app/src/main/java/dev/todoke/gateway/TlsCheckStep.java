package dev.todoke.gateway;

import dev.todoke.MailAddresses;
import dev.todoke.TodokeProperties;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * TLS at send time: starts the background TLS check of every external recipient's domain ({@link
 * RecipientTls#startChecks}), so that the receipt, the hold mail and every replica's sender page can show
 * the verdicts when the checks finish. Returns at once: the SMTP reply never waits for these checks (a
 * TLS policy rule that needs a verdict waits only its own budget, in {@link RecipientPolicyStep}, and
 * shares the check started here). Runs after auto-added recipients are in the envelope and before the
 * policy step; skips internal recipients and addresses with a routed local part (their domain says
 * nothing about where they go). Outbound mail only. Thread-safe; never fails.
 */
final class TlsCheckStep implements MailStep {

    private final RecipientTls tls;
    private final TodokeProperties todoke;

    TlsCheckStep(RecipientTls tls, TodokeProperties todoke) {
        this.tls = tls;
        this.todoke = todoke;
    }

    @Override
    public Next apply(MailTransaction mail) {
        Set<String> domains = new LinkedHashSet<>();
        for (String recipient : mail.envelope().recipients()) {
            if (!todoke.isInternal(recipient) && !MailAddresses.hasRoutedLocalPart(recipient)) {
                String domain = MailAddresses.domainOf(recipient);
                if (!domain.isEmpty()) {
                    domains.add(domain.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!domains.isEmpty()) {
            tls.startChecks(domains);
        }
        return Next.CONTINUE;
    }
}
