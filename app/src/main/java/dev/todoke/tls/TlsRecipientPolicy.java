package dev.todoke.tls;

import dev.todoke.MailAddresses;
import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.RecipientPolicy;
import dev.todoke.policy.Policies;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link RecipientPolicy} with the TLS policy in it: internal recipients pass through as
 * before; for external ones {@link TlsPolicy} decides: keep attachments (the original passes through),
 * link, or refuse. A decision made by a rule that needs a verdict is audited ({@code tls-policy}) with the
 * rule that applied. Waits at most {@code todoke.tls.policy.budget} per recipient domain, and not at all
 * under a {@code link} rule.
 */
final class TlsRecipientPolicy implements RecipientPolicy {

    private static final Logger log = LoggerFactory.getLogger(TlsRecipientPolicy.class);

    private final RecipientPolicy internal;
    private final TlsPolicy policy;
    private final Duration budget;
    private final AuditLog audit;

    TlsRecipientPolicy(TodokeProperties todoke, TlsPolicy policy, Duration budget, AuditLog audit) {
        this.internal = RecipientPolicy.byInternalDomains(todoke);
        this.policy = policy;
        this.budget = budget;
        this.audit = audit;
    }

    @Override
    public Decision decide(String recipient) {
        return explain(recipient).decision();
    }

    @Override
    public Outcome explain(String recipient) {
        return explain(recipient, Policies.TlsChoice.NONE);
    }

    /** As configured, with the stored policies' TLS actions (a stored rule first, see {@link TlsPolicy}). */
    @Override
    public Outcome explain(String recipient, Policies.TlsChoice stored) {
        Decision base = internal.decide(recipient);
        if (base != Decision.LINK || MailAddresses.hasRoutedLocalPart(recipient)) {
            // A routed local part goes wherever a relay sends it: its domain's TLS says nothing about that.
            return new Outcome(base, "", "");
        }
        TlsDecision decision = policy.decide(recipient, budget, stored);
        boolean byDefaultLink = decision.rule().endsWith(" " + PolicyAction.LINK.code());
        if (!byDefaultLink) {
            try {
                audit.record("tls-policy", null, null, recipient, null, decision.explanation());
            } catch (RuntimeException e) {
                log.warn("Could not audit the TLS policy decision for <{}>: {}", recipient, decision.explanation(), e);
            }
        }
        String verdict = decision.verdict()
                .map(TlsReport.Verdict::ofCode)
                .map(v -> v.plainWords(Locale.JAPANESE) + " / " + v.plainWords(Locale.ENGLISH))
                .orElse("");
        Decision action = switch (decision.action()) {
            case KEEP_ATTACHMENTS -> Decision.PASS_THROUGH;
            case REFUSE -> Decision.REFUSE;
            case LINK, ZERO_KNOWLEDGE_LINK -> Decision.LINK;
        };
        return new Outcome(
                action,
                byDefaultLink ? "" : decision.explanation(),
                verdict,
                decision.action() == TlsDecision.Action.ZERO_KNOWLEDGE_LINK);
    }
}
