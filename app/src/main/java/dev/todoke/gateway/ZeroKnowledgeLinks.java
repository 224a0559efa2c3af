package dev.todoke.gateway;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.link.LinkProperties;
import dev.todoke.storage.ZeroKnowledgeFormat;
import dev.todoke.zk.ZeroKnowledgeKeys;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The store step's part of the zero-knowledge mode (docs/zero-knowledge.md): whether a mail is stored in
 * it ({@code todoke.links.mode=zero-knowledge}, or a policy rule with action {@code zero-knowledge} for
 * any of its link recipients), and the per-message {@link MessageKey}. Thread-safe.
 */
final class ZeroKnowledgeLinks {

    /** Never zero-knowledge (tests that do not need the mode). */
    static final ZeroKnowledgeLinks OFF = new ZeroKnowledgeLinks(null, null, LinkProperties.Mode.STANDARD);

    private final ZeroKnowledgeKeys keys;
    private final SecureRandom random;
    private final LinkProperties.Mode mode;

    ZeroKnowledgeLinks(ZeroKnowledgeKeys keys, SecureRandom random, LinkProperties.Mode mode) {
        this.keys = keys;
        this.random = random;
        this.mode = mode;
    }

    boolean appliesTo(MailTransaction mail) {
        if (keys == null) {
            return false;
        }
        return mode == LinkProperties.Mode.ZERO_KNOWLEDGE
                || mail.recipientsWith(Decision.LINK).stream()
                        .anyMatch(r -> mail.decision(r).zeroKnowledge());
    }

    /** A new random data key for one message; close it when the message is stored. */
    MessageKey newMessageKey() {
        return new MessageKey(ZeroKnowledgeFormat.newKey(random));
    }

    /**
     * One message's data key, in memory only while the store step runs, and the wrapped forms made of it.
     * Not thread-safe.
     */
    final class MessageKey implements AutoCloseable {

        private final byte[] dataKey;
        private final Map<UUID, byte[]> wrapped = new LinkedHashMap<>();

        private MessageKey(byte[] dataKey) {
            this.dataKey = dataKey;
        }

        byte[] dataKey() {
            return dataKey;
        }

        /**
         * A new link secret for this link: the data key is wrapped under it (kept until {@link #record}),
         * the secret itself only returned, as the link's fragment {@code #k=} and 43 base64url characters.
         */
        String fragmentFor(UUID linkId) {
            byte[] secret = ZeroKnowledgeFormat.newKey(random);
            try {
                wrapped.put(linkId, ZeroKnowledgeFormat.wrap(dataKey, secret, random));
                return "#k=" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }

        /** Stores the message's mode and the wrapped keys (after its link rows exist). */
        void record(UUID messageId) {
            keys.record(messageId, wrapped);
        }

        @Override
        public void close() {
            Arrays.fill(dataKey, (byte) 0);
        }
    }
}
