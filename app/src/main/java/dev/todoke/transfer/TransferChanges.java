package dev.todoke.transfer;

import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import dev.todoke.link.LinkProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The two changes a transfer may see after it left: revoking links and moving the expiry, with their
 * limits and audit events. One implementation for everyone who may make them (the sender's page and
 * API, the administrator's console and API); the caller names itself in {@code by} ({@code by sender},
 * {@code by admin alice}), which goes into the audit detail. Thread-safe.
 */
@Service
public class TransferChanges {

    private final Transfers transfers;
    private final AuditLog audit;
    private final Clock clock;
    private final LinkProperties limits;

    public TransferChanges(Transfers transfers, AuditLog audit, Clock clock, LinkProperties limits) {
        this.transfers = transfers;
        this.audit = audit;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Revokes every link of the message (recipient null or blank) or the one for that recipient (case does
     * not matter); each link revoked now is audited {@code link-revoked} with detail {@code by}.
     *
     * @return the links this call revoked (not those revoked before)
     * @throws DomainException {@code unknown-recipient} (not found) when the message has no link for that
     *     recipient
     */
    @Transactional
    public List<Transfers.Link> revoke(Transfers.Message message, String recipient, String by, String clientIp) {
        Instant now = clock.instant();
        List<Transfers.Link> links = transfers.links(message.id());
        boolean one = recipient != null && !recipient.isBlank();
        List<Transfers.Link> chosen = one
                ? links.stream()
                        .filter(l -> l.recipient().equalsIgnoreCase(recipient.strip()))
                        .toList()
                : links;
        if (chosen.isEmpty() && one) {
            throw new DomainException(Kind.NOT_FOUND, "unknown-recipient");
        }
        List<Transfers.Link> revoked = new ArrayList<>();
        for (Transfers.Link link : chosen) {
            if (transfers.revoke(link.id(), now)) {
                audit.record("link-revoked", message.id(), link.id(), link.recipient(), clientIp, by);
                revoked.add(link);
            }
        }
        return revoked;
    }

    /**
     * The latest expiry allowed for this message: what a stored policy set when it arrived, else {@code
     * todoke.links.max-expiry} after it arrived.
     */
    public Instant maximum(Transfers.Message message) {
        return message.maxExpiresAt() != null ? message.maxExpiresAt() : limits.latestExpiry(message.createdAt());
    }

    /**
     * Moves the expiry of all the message's links; audited {@code expiry-changed} with {@code from .. to ..}
     * and, when {@code by} is not {@code by sender}, who did it.
     *
     * @throws DomainException {@code expired} (gone) when the files are purged; {@code not-in-future} or
     *     {@code past-maximum} (invalid, with {@code maximum}) for a time out of bounds
     */
    @Transactional
    public void changeExpiry(Transfers.Message message, Instant expiresAt, String by, String clientIp) {
        if (message.state() == MessageState.PURGED) {
            throw DomainException.expired();
        }
        if (!expiresAt.isAfter(clock.instant())) {
            throw DomainException.invalid("not-in-future");
        }
        Instant maximum = maximum(message);
        if (expiresAt.isAfter(maximum)) {
            throw new DomainException(Kind.INVALID, "past-maximum", Map.of("maximum", iso(maximum)));
        }
        transfers.setExpiry(message.id(), expiresAt);
        String detail = "from " + iso(message.expiresAt()) + " to " + iso(expiresAt);
        audit.record(
                "expiry-changed",
                message.id(),
                null,
                message.envelopeFrom(),
                clientIp,
                "by sender".equals(by) ? detail : detail + " " + by);
    }

    /** An instant as the API shows it: ISO-8601 in UTC, whole seconds. */
    public static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
