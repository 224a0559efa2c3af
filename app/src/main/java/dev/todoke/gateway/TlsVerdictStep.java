package dev.todoke.gateway;

import dev.todoke.MailAddresses;
import dev.todoke.TodokeProperties;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Just before the receipt: fills in the TLS verdict of each external recipient whose decision carries
 * none yet with what is known now ({@link RecipientTls#knownVerdict}: a check started by {@link
 * TlsCheckStep} may have finished meanwhile, here or on another replica). Never waits for a check: what
 * is still unknown stays "not checked yet" in the receipt. Also runs for unchanged mail (the forced-BCC
 * receipt lists verdicts too). Thread-safe; never fails.
 */
final class TlsVerdictStep implements MailStep {

    private final RecipientTls tls;
    private final TodokeProperties todoke;

    TlsVerdictStep(RecipientTls tls, TodokeProperties todoke) {
        this.tls = tls;
        this.todoke = todoke;
    }

    @Override
    public Next apply(MailTransaction mail) {
        if (mail.envelope().sender().isEmpty()) {
            return Next.CONTINUE; // no receipt for the null sender
        }
        fill(mail, tls, todoke);
        return Next.CONTINUE;
    }

    /**
     * Fills in what is known now of each external recipient's verdict (also the hold step, for the hold
     * mail).
     *
     * @return whether an external recipient's verdict is still unknown
     */
    static boolean fill(MailTransaction mail, RecipientTls tls, TodokeProperties todoke) {
        boolean unknown = false;
        Map<String, Optional<String>> known = new HashMap<>();
        for (Map.Entry<String, Outcome> e : Map.copyOf(mail.decisions()).entrySet()) {
            String recipient = e.getKey();
            Outcome outcome = e.getValue();
            if (!outcome.tlsVerdict().isEmpty()
                    || todoke.isInternal(recipient)
                    || MailAddresses.hasRoutedLocalPart(recipient)) {
                continue;
            }
            String domain = MailAddresses.domainOf(recipient).toLowerCase(Locale.ROOT);
            Optional<String> verdict = known.computeIfAbsent(domain, tls::knownVerdict);
            verdict.ifPresent(v -> mail.decide(recipient, new Outcome(outcome.decision(), outcome.rule(), v)));
            unknown |= verdict.isEmpty();
        }
        return unknown;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }
}
