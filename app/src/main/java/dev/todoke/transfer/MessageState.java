package dev.todoke.transfer;

import java.util.Locale;

/**
 * The life of a {@code message} row: written {@code PENDING} by the gateway, {@code RELAYED} once every
 * copy left, {@code FAILED} when the attempt answered 4xx, {@code PURGED} once the purger deleted its
 * blobs. Stored as the lowercase name.
 */
public enum MessageState {
    PENDING,
    RELAYED,
    FAILED,
    PURGED;

    /** The value in column {@code message.state}. */
    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageState ofColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
