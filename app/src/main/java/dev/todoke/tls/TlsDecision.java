package dev.todoke.tls;

import java.util.Optional;

/**
 * What the TLS policy decided for one recipient.
 *
 * @param domain the recipient's domain (normalised)
 * @param action what the gateway does with this recipient's copy
 * @param rule which rule applied, for the notice and the audit: {@code rules[0] *.example.com
 *     keep-if-verified} or {@code default link}
 * @param verdict the verdict the decision was based on ({@code tls-verified}, {@code tls}, {@code no-tls},
 *     {@code unreachable}, {@code no-mx}); empty when unknown (not checked, or not within the budget)
 */
record TlsDecision(String domain, Action action, String rule, Optional<String> verdict) {

    /** What happens to a recipient's copy. */
    public enum Action {
        /** Attachments are replaced by download links (the normal case). */
        LINK,
        /** Links in the zero-knowledge mode: the server cannot read the stored files (docs/zero-knowledge.md). */
        ZERO_KNOWLEDGE_LINK,
        /** The copy keeps its attachments as they are. */
        KEEP_ATTACHMENTS,
        /** The mail is refused with a 5xx (the recipient's server offers no encryption). */
        REFUSE
    }

    /** One sentence for the notice, the audit, and (for {@link Action#REFUSE}) the SMTP reply. */
    public String explanation() {
        String v = verdict.orElse("unknown");
        return switch (action) {
            case KEEP_ATTACHMENTS ->
                "Attachments kept: the mail server of " + domain + " is " + v + " (TLS policy: " + rule + ")";
            case REFUSE ->
                "Refused: the mail server of " + domain + " does not offer TLS encryption (TLS policy: " + rule + ")";
            case LINK, ZERO_KNOWLEDGE_LINK ->
                "Attachments sent as links; TLS check of " + domain + ": " + v + " (TLS policy: " + rule + ")";
        };
    }
}
