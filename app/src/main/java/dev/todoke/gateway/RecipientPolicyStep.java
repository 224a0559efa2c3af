package dev.todoke.gateway;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;

/**
 * Asks the {@link RecipientPolicy} about every recipient. One refused recipient refuses the whole
 * transaction (554 5.7.1: after DATA, SMTP has no per-recipient reply); when no recipient gets links,
 * the mail passes unchanged without being parsed. A recipient added by an {@code original} auto-add rule
 * ({@link AutoAddStep}) gets the original without asking the policy: the administrator chose it for that
 * address. Thread-safe when the policy is.
 */
final class RecipientPolicyStep implements MailStep {

    private final RecipientPolicy policy;

    RecipientPolicyStep(RecipientPolicy policy) {
        this.policy = policy;
    }

    /** @throws MailRefusal 5.7.1 when the policy refuses a recipient */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal {
        for (String recipient : mail.envelope().recipients()) {
            MailTransaction.AddedRecipient added = mail.added(recipient);
            Outcome outcome = added != null && added.original()
                    ? new Outcome(Decision.PASS_THROUGH, "", "")
                    : policy.explain(recipient);
            if (outcome.decision() == Decision.REFUSE) {
                String why = outcome.rule().isEmpty() ? "" : ": " + outcome.rule();
                throw new MailRefusal(
                        "5.7.1",
                        "Delivery to " + recipient + " is refused by policy" + why,
                        "policy refuses " + recipient + why);
            }
            mail.decide(recipient, outcome);
        }
        return mail.recipientsWith(Decision.LINK).isEmpty() ? Next.PASS_UNCHANGED : Next.CONTINUE;
    }
}
