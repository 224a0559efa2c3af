package dev.todoke.download;

import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import java.time.Instant;
import java.util.UUID;

/**
 * A link as a recipient request sees it, read fresh from the database on every request (never cached).
 *
 * @param sender the address in the message's From (the envelope sender when From is missing)
 */
record RecipientLink(
        UUID linkId,
        UUID messageId,
        String recipient,
        boolean revoked,
        MessageState messageState,
        Instant createdAt,
        Instant expiresAt,
        String sender,
        String senderEnvelope,
        String subject,
        int fileCount) {

    enum Status {
        ACTIVE,
        REVOKED,
        EXPIRED
    }

    static RecipientLink of(Transfers.LinkedMessage linked) {
        Transfers.Link link = linked.link();
        Transfers.Message message = linked.message();
        return new RecipientLink(
                link.id(),
                message.id(),
                link.recipient(),
                link.revoked(),
                message.state(),
                message.createdAt(),
                message.expiresAt(),
                Addresses.fromHeader(message.headerFrom(), message.envelopeFrom()),
                message.envelopeFrom(),
                message.subject(),
                linked.fileCount());
    }

    Status status(Instant now) {
        if (revoked) {
            return Status.REVOKED;
        }
        if (messageState == MessageState.PURGED || !now.isBefore(expiresAt)) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }
}
