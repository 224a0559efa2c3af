package dev.todoke.security;

import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A recipient who passed the passcode check for one link: the authentication that Spring Security holds
 * for a request carrying a live recipient session (the {@code todoke_session} cookie, found by {@link
 * RecipientSessionLookup}). It opens that one link only: {@link #holds} asks whether the current request
 * may download from a given link. Built afresh on every request from the database; never stored in a
 * servlet session.
 */
public final class RecipientAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final UUID linkId;

    RecipientAuthentication(UUID linkId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_RECIPIENT")));
        this.linkId = linkId;
        setAuthenticated(true);
    }

    /** The link this session opens. */
    public UUID linkId() {
        return linkId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return "link:" + linkId;
    }

    /** True when the current request is authenticated as a recipient of exactly this link. */
    public static boolean holds(UUID linkId) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return current instanceof RecipientAuthentication recipient && recipient.linkId.equals(linkId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecipientAuthentication o && o.linkId.equals(linkId) && super.equals(other);
    }

    @Override
    public int hashCode() {
        return linkId.hashCode();
    }
}
