package dev.todoke.gateway;

/**
 * Which copies of one mail the next hop has already accepted: a retried release of held mail, or a retry
 * of fresh mail by the upstream MTA after a crash or a failure (ADR 0150), skips them, so that no copy
 * goes out twice beyond the one a crash interrupted between the next hop's acceptance and the record.
 * Mail passed unchanged has none ({@link #NONE}): the upstream MTA's retry is at least once (ADR 0010).
 * Keys: {@link #original}, {@link #copy}, {@link #RECEIPT}.
 */
interface CopyLedger {

    /** The sender's receipt. */
    String RECEIPT = "receipt";

    /** Nothing recorded, nothing skipped. */
    CopyLedger NONE = new CopyLedger() {
        @Override
        public boolean accepted(String key) {
            return false;
        }

        @Override
        public void record(String key) {}
    };

    /** The original to one pass-through recipient (every recipient of unchanged mail). */
    static String original(String recipient) {
        return "original:" + recipient;
    }

    /** One recipient's own copy. */
    static String copy(String recipient) {
        return "copy:" + recipient;
    }

    /** Whether the next hop accepted this copy before. */
    boolean accepted(String key);

    /** Records that the next hop accepted this copy just now. */
    void record(String key);

    /** Whether the next hop accepted any copy of this mail, in this attempt or before. */
    default boolean anyAccepted() {
        return false;
    }
}
