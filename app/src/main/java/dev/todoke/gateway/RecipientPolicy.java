package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.policy.Policies;

/**
 * Decides, per envelope recipient, what that recipient receives. The gateway asks once per recipient
 * of every transaction, from many threads at once; an implementation must be thread-safe and fast (it
 * may consult a cache, never the network on the mail path).
 *
 * <p>To plug in another policy (for example one that keeps attachments for domains whose mail servers
 * enforce TLS), declare a {@code @Primary} bean of this type; it may delegate to {@link
 * #byInternalDomains(TodokeProperties)} for what it does not decide itself.
 */
@FunctionalInterface
public interface RecipientPolicy {

    /** What one recipient gets. */
    enum Decision {
        /** The original message, byte for byte, attachments included (internal recipients). */
        PASS_THROUGH,
        /** A copy in which every attachment is replaced by a notice with a link of their own. */
        LINK,
        /** Nothing: the whole transaction is refused with 554 5.7.1 (SMTP has no per-recipient reply after DATA). */
        REFUSE
    }

    Decision decide(String recipient);

    /**
     * The decision with what led to it, for the notice, the receipt, the audit and a refusal's text. The
     * default has no rule to name; a policy that has one overrides this (and {@link #decide} answers
     * {@code explain(recipient).decision()}).
     */
    default Outcome explain(String recipient) {
        return new Outcome(decide(recipient), "", "");
    }

    /**
     * The decision when the policy store ({@code dev.todoke.policy}) has rules for this recipient: a
     * policy that knows TLS actions applies {@code stored} (see {@link Policies}: the stored rule before its
     * own configured rules, the stored default after them). The default ignores it.
     */
    default Outcome explain(String recipient, Policies.TlsChoice stored) {
        return explain(recipient);
    }

    /**
     * A decision and its reasons.
     *
     * @param decision what the recipient gets
     * @param rule the rule that applied, in one sentence; empty when no configured rule decided
     * @param tlsVerdict the recipient domain's TLS verdict in plain words (Japanese / English), empty when
     *     not known yet
     * @param zeroKnowledge for {@link Decision#LINK}: a rule asks for the zero-knowledge mode (policy action
     *     {@code zero-knowledge}, docs/zero-knowledge.md); the whole message is then stored in that mode
     */
    record Outcome(Decision decision, String rule, String tlsVerdict, boolean zeroKnowledge) {

        public Outcome(Decision decision, String rule, String tlsVerdict) {
            this(decision, rule, tlsVerdict, false);
        }
    }

    /** The default: internal domains ({@code todoke.internal-domains}) pass through, everyone else gets links. */
    static RecipientPolicy byInternalDomains(TodokeProperties properties) {
        return recipient -> properties.isInternal(recipient) ? Decision.PASS_THROUGH : Decision.LINK;
    }
}
