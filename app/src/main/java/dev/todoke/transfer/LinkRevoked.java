package dev.todoke.transfer;

import java.util.UUID;

/**
 * Published by {@link Transfers#revoke} inside the caller's transaction when an active link became
 * revoked, so that features holding state bound to the link (web sessions) end it. Listeners run
 * synchronously; a listener's failure fails the revocation.
 */
public record LinkRevoked(UUID linkId) {}
