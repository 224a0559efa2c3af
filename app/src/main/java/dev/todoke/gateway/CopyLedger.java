package dev.todoke.gateway;

/**
 * Which copies of one mail the next hop has already accepted: a release of held mail that is retried
 * (after a failure or a kill -9) skips them, so that no copy goes out twice beyond the one the crash
 * interrupted between the next hop's acceptance and the record. Fresh mail has none ({@link #NONE}): the
 * upstream MTA's retry is at least once (ADR 0010). Keys: {@link #ORIGINAL}, {@link #copy}, {@link
 * #RECEIPT}.
 */
interface CopyLedger {

    /** The original to the pass-through recipients (all recipients of unchanged mail). */
    String ORIGINAL = "original";

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

    /** One recipient's own copy. */
    static String copy(String recipient) {
        return "copy:" + recipient;
    }

    /** Whether the next hop accepted this copy before. */
    boolean accepted(String key);

    /** Records that the next hop accepted this copy just now. */
    void record(String key);
}
