package dev.todoke.common;

import java.util.Map;

/**
 * A request the domain refuses, in the domain's own terms: a {@link Kind} (what went wrong) and a
 * stable code naming the case (for example {@code wrong-code}), with a few details where the caller
 * needs them (for example {@code attemptsLeft}). Domain code throws it and never picks a protocol
 * status; the one mapping to HTTP is {@code dev.todoke.web.WebErrors}. The code and details are shown
 * to the client, so they never hold tokens, passcodes or internals. Immutable; carries no stack trace
 * (it is an answer, not a fault).
 */
public class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of refusal this is; each maps to one HTTP status. */
    public enum Kind {
        /** No such thing, or nothing this credential may see. */
        NOT_FOUND,
        /** It existed, but may not be used any more: revoked, expired, purged. */
        GONE,
        /** The request itself is wrong: missing, unreadable or out of range. */
        INVALID,
        /** The caller has not proven who they are: no session, a wrong or stale passcode. */
        UNAUTHENTICATED,
        /** The caller may not do this (a form without a valid CSRF field). */
        FORBIDDEN,
        /** Too many tries or requests: wait, or ask for a new code. */
        RATE_LIMITED,
        /** Something the operation needs (mail, storage) is down: try again later. */
        UNAVAILABLE,
        /** The change was based on a version that is no longer current (a lost update averted). */
        STALE,
        /** The change must say which version it is based on (and did not). */
        PRECONDITION_REQUIRED
    }

    private final Kind kind;
    private final String code;
    private final transient Map<String, Object> details;

    public DomainException(Kind kind, String code) {
        this(kind, code, Map.of());
    }

    public DomainException(Kind kind, String code, Map<String, Object> details) {
        super(code, null, false, false);
        this.kind = kind;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    /** {@code not-found}: an unknown token or id (also a malformed one). */
    public static DomainException notFound() {
        return new DomainException(Kind.NOT_FOUND, "not-found");
    }

    /** {@code revoked}: the sender revoked the link. */
    public static DomainException revoked() {
        return new DomainException(Kind.GONE, "revoked");
    }

    /** {@code expired}: past the expiry, or the files are purged. */
    public static DomainException expired() {
        return new DomainException(Kind.GONE, "expired");
    }

    /** An invalid request, named by {@code code}. */
    public static DomainException invalid(String code) {
        return new DomainException(Kind.INVALID, code);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Extra fields for the answer, in addition to the code; often empty. */
    public Map<String, Object> details() {
        return details;
    }
}
