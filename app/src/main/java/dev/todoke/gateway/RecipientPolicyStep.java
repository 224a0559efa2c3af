package dev.todoke.gateway;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import dev.todoke.policy.Policies;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks the {@link RecipientPolicy} about every recipient, with what the stored policies (read once per
 * mail, {@code dev.todoke.policy.PolicyStore}) say for this sender and recipient; keeps the stored
 * expiry limits for the store step. One refused recipient refuses the whole transaction (554 5.7.1:
 * after DATA, SMTP has no per-recipient reply); when no recipient gets links, the mail passes unchanged
 * without being parsed. Thread-safe when the policy is.
 */
final class RecipientPolicyStep implements MailStep {

    private final RecipientPolicy policy;
    private final Supplier<Policies> stored;
    private final Function<String, Set<String>> groups;

    /** Without stored policies: the configured policy alone. */
    RecipientPolicyStep(RecipientPolicy policy) {
        this(policy, Policies::none, sender -> Set.of());
    }

    /**
     * @param stored the stored policy set now ({@code PolicyStore::current})
     * @param groups a sender's OIDC groups ({@code PolicyStore::groupsOf}), asked only when a rule names a
     *     group
     */
    RecipientPolicyStep(RecipientPolicy policy, Supplier<Policies> stored, Function<String, Set<String>> groups) {
        this.policy = policy;
        this.stored = stored;
        this.groups = groups;
    }

    /** @throws MailRefusal 5.7.1 when the policy refuses a recipient */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal {
        Policies policies = stored.get();
        String sender = mail.envelope().sender();
        Set<String> senderGroups = policies.usesGroups() ? groups.apply(sender) : Set.of();
        for (String recipient : mail.envelope().recipients()) {
            Outcome outcome = policy.explain(recipient, policies.tls(sender, senderGroups, recipient));
            if (outcome.decision() == Decision.REFUSE) {
                String why = outcome.rule().isEmpty() ? "" : ": " + outcome.rule();
                throw new MailRefusal(
                        "5.7.1",
                        "Delivery to " + recipient + " is refused by policy" + why,
                        "policy refuses " + recipient + why);
            }
            mail.decide(recipient, outcome);
        }
        mail.storedExpiry(policies.expiry(sender, senderGroups, mail.recipientsWith(Decision.LINK)));
        return mail.recipientsWith(Decision.LINK).isEmpty() ? Next.PASS_UNCHANGED : Next.CONTINUE;
    }
}
