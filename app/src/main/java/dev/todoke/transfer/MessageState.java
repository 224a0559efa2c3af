package dev.todoke.transfer;

import java.util.Locale;

/**
 * The life of a {@code message} row: written {@code PENDING} by the gateway, {@code RELAYED} once every
 * copy left, {@code FAILED} when the attempt answered 4xx, {@code PURGED} once the purger deleted its
 * blobs. Held mail (docs/hold-and-approval.md) is {@code HELD} (waits for its release time or the
 * sender), {@code APPROVAL} (waits for an approver), {@code RELEASING} (one replica is sending it now),
 * then {@code RELAYED}, or {@code CANCELLED} by the sender, {@code REJECTED} by the approver. Stored as
 * the lowercase name.
 */
public enum MessageState {
    PENDING,
    RELAYED,
    FAILED,
    PURGED,
    HELD,
    APPROVAL,
    RELEASING,
    CANCELLED,
    REJECTED;

    /** The value in column {@code message.state}. */
    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageState ofColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
