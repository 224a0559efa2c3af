package dev.todoke.tls;

import dev.todoke.policy.Policies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The TLS policy of {@code todoke.tls.policy.*}: per recipient, whether its copy gets links (the
 * default), keeps its attachments (rule {@code keep-if-verified} and verdict {@code tls-verified}), or is
 * refused (rule {@code refuse-if-no-tls} and verdict {@code no-tls}).
 *
 * <p>The first rule whose domain pattern matches applies, else the default. A verdict not known within
 * the caller's budget counts as unknown, which never keeps attachments and never refuses. Under a
 * {@code link} rule no check is started; a cached verdict is reported if there is one. Thread-safe.
 */
@Component
class TlsPolicy {

    private final TlsChecker checker;
    private final TlsProperties.Policy policy;

    TlsPolicy(TlsChecker checker, TlsProperties properties) {
        this.checker = checker;
        this.policy = properties.policy();
    }

    /**
     * Decides for one recipient, waiting at most {@code todoke.tls.policy.budget} (3 s by default).
     *
     * @see #decide(String, Duration)
     */
    public TlsDecision decide(String recipientAddress) {
        return decide(recipientAddress, policy.budget());
    }

    /**
     * Decides for one recipient; blocks at most {@code budget} (for a check of the recipient's domain).
     *
     * @param recipientAddress the RCPT TO address of an external recipient
     * @param budget how long a check may be waited for; zero uses only cached verdicts
     * @return the decision; {@link TlsDecision.Action#LINK} for an address without a valid domain
     */
    public TlsDecision decide(String recipientAddress, Duration budget) {
        return decide(recipientAddress, budget, Policies.TlsChoice.NONE);
    }

    /**
     * Decides for one recipient with the stored policies' actions: a stored rule applies before the
     * configured rules, the stored default after them and before the configured default.
     */
    public TlsDecision decide(String recipientAddress, Duration budget, Policies.TlsChoice stored) {
        String domain;
        try {
            domain = Domains.ofAddress(recipientAddress);
        } catch (IllegalArgumentException e) {
            return new TlsDecision(
                    String.valueOf(recipientAddress), TlsDecision.Action.LINK, "invalid domain", Optional.empty());
        }
        PolicyAction action = policy.defaultAction();
        String rule = "default " + action.code();
        boolean configured = false;
        List<TlsProperties.Rule> rules = policy.rules();
        for (int i = 0; i < rules.size() && stored.rule().isEmpty(); i++) {
            TlsProperties.Rule r = rules.get(i);
            if (r.matches(domain)) {
                action = r.action();
                rule = "rules[" + i + "] " + r.domain() + " " + action.code();
                configured = true;
                break;
            }
        }
        Optional<Policies.TlsRule> fromStore =
                stored.rule().isPresent() || !configured ? stored.rule().or(stored::fallback) : Optional.empty();
        if (fromStore.isPresent()) {
            action = PolicyAction.ofCode(fromStore.get().action());
            rule = fromStore.get().rule();
        }
        Optional<String> verdict = (action.needsVerdict()
                        ? checker.checkWithin(domain, budget)
                        : checker.cached(domain))
                .map(report -> report.verdict().code());
        TlsDecision.Action result = switch (action) {
            case LINK -> TlsDecision.Action.LINK;
            case ZERO_KNOWLEDGE -> TlsDecision.Action.ZERO_KNOWLEDGE_LINK;
            case KEEP_IF_VERIFIED ->
                verdict.filter(TlsReport.Verdict.TLS_VERIFIED.code()::equals).isPresent()
                        ? TlsDecision.Action.KEEP_ATTACHMENTS
                        : TlsDecision.Action.LINK;
            case REFUSE_IF_NO_TLS ->
                verdict.filter(TlsReport.Verdict.NO_TLS.code()::equals).isPresent()
                        ? TlsDecision.Action.REFUSE
                        : TlsDecision.Action.LINK;
        };
        return new TlsDecision(domain, result, rule, verdict);
    }
}
