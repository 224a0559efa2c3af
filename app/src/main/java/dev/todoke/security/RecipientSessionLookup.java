package dev.todoke.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the live recipient session that a request carries, if any, and the link it opens. Implemented by
 * the download feature, which owns the sessions; the recipient security chain turns the answer into a
 * {@link RecipientAuthentication}.
 */
public interface RecipientSessionLookup {

    Optional<UUID> linkOf(HttpServletRequest request);
}
