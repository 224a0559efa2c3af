package dev.todoke.approval;

import dev.todoke.audit.AuditLog;
import dev.todoke.common.DomainException;
import dev.todoke.gateway.HoldWake;
import dev.todoke.link.LinkTokens;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What an approver sees and decides through {@code /a/{token}} (the approval token in the approver's
 * mail is the credential; only its hash is stored): the held message's sender, subject, recipients, files
 * and why it needs approval; approve (it goes out at once) or reject (never sent, the sender is told).
 * Every view and decision is audited. Reads fresh from the database on every call.
 */
@Service
class ApprovalDesk {

    private final Holds holds;
    private final Transfers transfers;
    private final HoldWake wake;
    private final AuditLog audit;
    private final Clock clock;

    ApprovalDesk(Holds holds, Transfers transfers, HoldWake wake, AuditLog audit, Clock clock) {
        this.holds = holds;
        this.transfers = transfers;
        this.wake = wake;
        this.audit = audit;
        this.clock = clock;
    }

    record FileInfo(String name, long size, String contentType) {}

    /**
     * The approval as the approver sees it. {@code state}: {@code approval} (waiting), {@code held} or
     * {@code sent} (approved), {@code rejected}, {@code cancelled} (by the sender), {@code failed}.
     */
    record Approval(
            String state,
            String sender,
            String subject,
            String reason,
            String approver,
            String decideBy,
            List<String> recipients,
            List<FileInfo> files) {}

    Holds.Held held(String token) {
        return LinkTokens.hashIfToken(token).flatMap(holds::findByApprovalToken).orElseThrow(DomainException::notFound);
    }

    Approval view(String token, String clientIp) {
        Holds.Held held = held(token);
        audit.record("approval-page-viewed", held.messageId(), null, held.approver(), clientIp, null);
        return approval(held(token));
    }

    Approval approval(Holds.Held held) {
        Transfers.Message message = transfers.message(held.messageId()).orElseThrow(DomainException::notFound);
        List<StoredFile> files = transfers.files(held.messageId());
        return new Approval(
                state(message.state()),
                held.envelopeFrom(),
                message.subject(),
                held.reason(),
                held.approver(),
                held.decideBy() == null ? null : iso(held.decideBy()),
                held.recipients(),
                files.stream()
                        .map(f -> new FileInfo(f.name(), f.size(), f.contentType()))
                        .toList());
    }

    /** Approves: the mail goes out now; 409 {@code not-awaiting-approval} when already decided. */
    Approval approve(String token, String clientIp) {
        Holds.Held held = held(token);
        if (!holds.approve(held.messageId(), clock.instant(), "approver " + held.approver())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "not-awaiting-approval");
        }
        audit.record("mail-approved", held.messageId(), null, held.approver(), clientIp, "by approver");
        wake.wake();
        return approval(held(token));
    }

    /** Rejects: never sent, the sender is told; 409 {@code not-awaiting-approval} when already decided. */
    Approval reject(String token, String clientIp) {
        Holds.Held held = held(token);
        if (!holds.reject(held.messageId(), "approver " + held.approver(), "rejected")) {
            throw new DomainException(DomainException.Kind.CONFLICT, "not-awaiting-approval");
        }
        audit.record("mail-rejected", held.messageId(), null, held.approver(), clientIp, "by approver");
        wake.wake();
        return approval(held(token));
    }

    static String state(MessageState state) {
        return switch (state) {
            case APPROVAL -> "approval";
            case HELD -> "held";
            case REJECTED -> "rejected";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed";
            case PENDING, RELEASING, RELAYED, PURGED -> "sent";
        };
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
