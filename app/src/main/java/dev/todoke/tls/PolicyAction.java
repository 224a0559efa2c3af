package dev.todoke.tls;

/** What a TLS policy rule does with a recipient, as written in {@code todoke.tls.policy.*}. */
enum PolicyAction {
    /** Always replace attachments with links (the default). */
    LINK("link"),
    /** Keep attachments as they are when the verdict is {@code tls-verified}; link otherwise. */
    KEEP_IF_VERIFIED("keep-if-verified"),
    /** Refuse the mail with a 5xx when the verdict is {@code no-tls}; link otherwise. */
    REFUSE_IF_NO_TLS("refuse-if-no-tls"),
    /** Links in the zero-knowledge mode (docs/zero-knowledge.md): the server cannot read the files it holds. */
    ZERO_KNOWLEDGE("zero-knowledge");

    private final String code;

    PolicyAction(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    /** The action named {@code code} ({@code link}, ...). */
    static PolicyAction ofCode(String code) {
        for (PolicyAction action : values()) {
            if (action.code.equals(code)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown TLS policy action: " + code);
    }

    boolean needsVerdict() {
        return this != LINK && this != ZERO_KNOWLEDGE;
    }
}
