package dev.todoke.sender;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.link.LinkTokens;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.TransferChanges;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    SenderDesk(Transfers transfers, TransferChanges changes, AuditLog audit, Clock clock) {
        this.transfers = transfers;
        this.changes = changes;
        this.audit = audit;
        this.clock = clock;
    }

    record FileInfo(String id, String name, long size, String sha256, String contentType) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DownloadInfo(String fileId, String at, Boolean zip) {}

    record RecipientInfo(String address, String state, List<DownloadInfo> downloads) {}

    record Overview(String createdAt, String expiresAt, List<FileInfo> files, List<RecipientInfo> recipients) {}

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
            String state = link.revoked() ? "revoked" : expired ? "expired" : "active";
            recipients.add(new RecipientInfo(link.recipient(), state, mine));
        }
        return new Overview(
                iso(message.createdAt()),
                iso(message.expiresAt()),
                files.stream()
                        .map(f -> new FileInfo(f.id().toString(), f.name(), f.size(), f.sha256(), f.contentType()))
                        .toList(),
                recipients);
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

    static String iso(Instant instant) {
        return TransferChanges.iso(instant);
    }
}
