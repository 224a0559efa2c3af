package dev.todoke.gateway;

import dev.todoke.transfer.Holds;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link CopyLedger} of one recorded message, in {@code copy_accepted}: what earlier attempts
 * recorded is read once, each acceptance is written as it happens. Used by a release of held mail and by
 * fresh mail with copies. Confined to the transaction's thread.
 */
final class MessageLedger implements CopyLedger {

    private final Holds rows;
    private final UUID messageId;
    private final Clock clock;
    private final Set<String> accepted;

    private MessageLedger(Holds rows, UUID messageId, Clock clock, Set<String> accepted) {
        this.rows = rows;
        this.messageId = messageId;
        this.clock = clock;
        this.accepted = new HashSet<>(accepted);
    }

    /** The ledger of a message with what earlier attempts recorded. */
    static MessageLedger read(Holds rows, UUID messageId, Clock clock) {
        return new MessageLedger(rows, messageId, clock, rows.accepted(messageId));
    }

    /** The ledger of a message just recorded: nothing accepted yet. */
    static MessageLedger empty(Holds rows, UUID messageId, Clock clock) {
        return new MessageLedger(rows, messageId, clock, Set.of());
    }

    @Override
    public boolean accepted(String key) {
        return accepted.contains(key);
    }

    @Override
    public void record(String key) {
        rows.recordAccepted(messageId, key, clock.instant());
        accepted.add(key);
    }

    @Override
    public boolean anyAccepted() {
        return !accepted.isEmpty();
    }
}
