package dev.todoke.sender;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import dev.todoke.gateway.HoldWake;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the sender may see and do with a message, shared by the sender's page and the JSON API. The
 * management token in the path is the credential. Every call reads fresh from the database through
 * {@link Transfers}.
 */
@Service
class SenderDesk {

    private final Transfers transfers;
    private final AuditLog audit;
    private final Clock clock;
    private final LinkProperties limits;

    private final Holds holds;
    private final HoldWake wake;

    SenderDesk(Transfers transfers, Holds holds, HoldWake wake, AuditLog audit, Clock clock, LinkProperties limits) {
        this.transfers = transfers;
        this.holds = holds;
        this.wake = wake;
        this.audit = audit;
        this.clock = clock;
        this.limits = limits;
    }

    record FileInfo(String id, String name, long size, String sha256, String contentType) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DownloadInfo(String fileId, String at, Boolean zip) {}

    record RecipientInfo(String address, String state, List<DownloadInfo> downloads) {}

    /**
     * What the sender sees. {@code state}: {@code held}, {@code approval}, {@code cancelled}, {@code
     * rejected}, {@code sent} (also while it is being sent), or {@code failed} (a release given up);
     * {@code releaseAt} only while held with a release time.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Overview(
            String state,
            String releaseAt,
            String createdAt,
            String expiresAt,
            List<FileInfo> files,
            List<RecipientInfo> recipients) {}

    /** The message behind a management token: not found when unknown. */
    Transfers.Message message(String token) {
        return LinkTokens.hashIfToken(token)
                .flatMap(transfers::findByManageToken)
                .orElseThrow(DomainException::notFound);
    }

    /** The state of a message for its sender; records the view. */
    Overview view(String token, String clientIp) {
        Transfers.Message message = message(token);
        audit.record("sender-page-viewed", message.id(), null, message.envelopeFrom(), clientIp, null);
        return overview(message);
    }

    Overview overview(Transfers.Message message) {
        Instant now = clock.instant();
        List<StoredFile> files = transfers.files(message.id());
        List<Transfers.Download> downloads = transfers.downloads(message.id());
        boolean expired = message.state() == MessageState.PURGED || !now.isBefore(message.expiresAt());
        List<RecipientInfo> recipients = new ArrayList<>();
        String state = state(message.state());
        Optional<Holds.Held> held = holds.find(message.id());
        String releaseAt = held.filter(h -> message.state() == MessageState.HELD && h.releaseAt() != null)
                .map(h -> iso(
                        h.nextAttemptAt() != null && h.nextAttemptAt().isAfter(h.releaseAt())
                                ? h.nextAttemptAt()
                                : h.releaseAt()))
                .orElse(null);
        if (held.isPresent() && !state.equals("sent")) {
            held.get().recipients().forEach(r -> recipients.add(new RecipientInfo(r, state, List.of())));
            return new Overview(
                    state, releaseAt, iso(message.createdAt()), iso(message.expiresAt()), fileInfos(files), recipients);
        }
        for (Transfers.Link link : transfers.links(message.id())) {
            List<DownloadInfo> mine = new ArrayList<>();
            for (Transfers.Download d : downloads) {
                if (!d.linkId().equals(link.id())) {
                    continue;
                }
                if (d.fileId() != null) {
                    mine.add(new DownloadInfo(d.fileId().toString(), iso(d.at()), null));
                } else {
                    files.forEach(f -> mine.add(new DownloadInfo(f.id().toString(), iso(d.at()), true)));
                }
            }
            String linkState = link.revoked() ? "revoked" : expired ? "expired" : "active";
            recipients.add(new RecipientInfo(link.recipient(), linkState, mine));
        }
        return new Overview(
                state, releaseAt, iso(message.createdAt()), iso(message.expiresAt()), fileInfos(files), recipients);
    }

    private static List<FileInfo> fileInfos(List<StoredFile> files) {
        return files.stream()
                .map(f -> new FileInfo(f.id().toString(), f.name(), f.size(), f.sha256(), f.contentType()))
                .toList();
    }

    /** The state as the sender's API names it. */
    static String state(MessageState state) {
        return switch (state) {
            case HELD -> "held";
            case APPROVAL -> "approval";
            case CANCELLED -> "cancelled";
            case REJECTED -> "rejected";
            case FAILED -> "failed";
            case PENDING, RELEASING, RELAYED, PURGED -> "sent";
        };
    }

    /** Cancels held mail (also while it waits for approval): never sent; 409 {@code not-held} otherwise. */
    void cancel(Transfers.Message message, String clientIp) {
        if (!holds.cancel(message.id(), "sender")) {
            throw new DomainException(Kind.CONFLICT, "not-held");
        }
        audit.record("mail-cancelled", message.id(), null, message.envelopeFrom(), clientIp, "by sender");
    }

    /**
     * Sends held mail now (also confirms a self-check); 409 {@code not-held} when it is not held (sent,
     * cancelled, or waiting for an approver, whom the sender cannot skip).
     */
    void releaseNow(Transfers.Message message, String clientIp) {
        if (!holds.releaseNow(message.id(), clock.instant(), "sender")) {
            throw new DomainException(Kind.CONFLICT, "not-held");
        }
        audit.record("mail-release-requested", message.id(), null, message.envelopeFrom(), clientIp, "by sender");
        wake.wake();
    }

    /** Revokes every link of the message (recipient null) or the one for that recipient. */
    @Transactional
    void revoke(Transfers.Message message, String recipient, String clientIp) {
        Instant now = clock.instant();
        List<Transfers.Link> links = transfers.links(message.id());
        List<Transfers.Link> chosen = recipient == null || recipient.isBlank()
                ? links
                : links.stream()
                        .filter(l -> l.recipient().equalsIgnoreCase(recipient.strip()))
                        .toList();
        if (chosen.isEmpty() && recipient != null && !recipient.isBlank()) {
            throw new DomainException(Kind.NOT_FOUND, "unknown-recipient");
        }
        for (Transfers.Link link : chosen) {
            if (transfers.revoke(link.id(), now)) {
                audit.record("link-revoked", message.id(), link.id(), link.recipient(), clientIp, "by sender");
            }
        }
    }

    /** The latest expiry the administrator allows for this message. */
    Instant maximum(Transfers.Message message) {
        return limits.latestExpiry(message.createdAt());
    }

    /** Moves the expiry of all the message's links: invalid past the maximum or not in the future. */
    @Transactional
    void changeExpiry(Transfers.Message message, Instant expiresAt, String clientIp) {
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
        audit.record(
                "expiry-changed",
                message.id(),
                null,
                message.envelopeFrom(),
                clientIp,
                "from " + iso(message.expiresAt()) + " to " + iso(expiresAt));
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
