package dev.todoke.sender;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import dev.todoke.gateway.HoldWake;
import dev.todoke.link.LinkTokens;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.TransferChanges;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What the sender may see and do with a message, shared by the sender's page and the JSON API. The
 * management token in the path is the credential. Every call reads fresh from the database through
 * {@link Transfers}; revocation and expiry changes are {@link TransferChanges}'s, shared with the
 * administrator's.
 */
@Service
class SenderDesk {

    private final Transfers transfers;
    private final TransferChanges changes;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectProvider<TlsSummaries> tls;

    private final Holds holds;
    private final HoldWake wake;

    SenderDesk(
            Transfers transfers,
            TransferChanges changes,
            Holds holds,
            HoldWake wake,
            AuditLog audit,
            Clock clock,
            ObjectProvider<TlsSummaries> tls) {
        this.transfers = transfers;
        this.changes = changes;
        this.holds = holds;
        this.wake = wake;
        this.audit = audit;
        this.clock = clock;
        this.tls = tls;
    }

    record FileInfo(String id, String name, long size, String sha256, String contentType) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DownloadInfo(String fileId, String at, Boolean zip) {}

    /**
     * A recipient's domain's TLS as known when the page is read (docs/tls-check.md); null in {@link
     * RecipientInfo} when not checked yet.
     */
    record TlsInfo(String verdict, String summary, String checkedAt) {}

    record RecipientInfo(String address, String state, List<DownloadInfo> downloads, TlsInfo tls) {}

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
        TlsSummaries summaries = tls.getIfAvailable();
        Map<String, TlsInfo> tlsByDomain = new HashMap<>();
        String state = state(message.state());
        Optional<Holds.Held> held = holds.find(message.id());
        String releaseAt = held.filter(h -> message.state() == MessageState.HELD && h.releaseAt() != null)
                .map(h -> iso(
                        h.nextAttemptAt() != null && h.nextAttemptAt().isAfter(h.releaseAt())
                                ? h.nextAttemptAt()
                                : h.releaseAt()))
                .orElse(null);
        if (held.isPresent() && !state.equals("sent")) {
            held.get()
                    .recipients()
                    .forEach(r ->
                            recipients.add(new RecipientInfo(r, state, List.of(), known(summaries, tlsByDomain, r))));
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
            recipients.add(new RecipientInfo(
                    link.recipient(), linkState, mine, known(summaries, tlsByDomain, link.recipient())));
        }
        return new Overview(
                state, releaseAt, iso(message.createdAt()), iso(message.expiresAt()), fileInfos(files), recipients);
    }

    private TlsInfo known(TlsSummaries summaries, Map<String, TlsInfo> byDomain, String recipient) {
        return summaries == null
                ? null
                : byDomain.computeIfAbsent(
                        domain(recipient),
                        d -> summaries
                                .knownFor(d)
                                .map(k -> new TlsInfo(k.verdict(), k.summary(), iso(k.checkedAt())))
                                .orElse(null));
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
    void revoke(Transfers.Message message, String recipient, String clientIp) {
        changes.revoke(message, recipient, "by sender", clientIp);
    }

    /** The latest expiry the administrator allows for this message. */
    Instant maximum(Transfers.Message message) {
        return changes.maximum(message);
    }

    /** Moves the expiry of all the message's links: invalid past the maximum or not in the future. */
    void changeExpiry(Transfers.Message message, Instant expiresAt, String clientIp) {
        changes.changeExpiry(message, expiresAt, "by sender", clientIp);
    }

    private static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    static String iso(Instant instant) {
        return TransferChanges.iso(instant);
    }
}
