package dev.todoke.download;

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
        String linkState,
        String messageState,
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

    Status status(Instant now) {
        if ("revoked".equals(linkState)) {
            return Status.REVOKED;
        }
        if ("purged".equals(messageState) || !now.isBefore(expiresAt)) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }
}
