package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.smtp.Envelope;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;

/**
 * The last step: the message becomes {@code relayed} (so that a retry is recognised), the tokens kept for
 * a retry go ({@link CopyRetry#forget}) and the audit gets {@code mail-linked}. Thread-safe. Failure: {@code DataAccessException}.
 */
final class MarkRelayedStep implements MailStep {

    private final Transfers transfers;
    private final AuditLog audit;
    private final CopyRetry retries;

    MarkRelayedStep(Transfers transfers, AuditLog audit, CopyRetry retries) {
        this.transfers = transfers;
        this.audit = audit;
        this.retries = retries;
    }

    @Override
    public Next apply(MailTransaction mail) {
        Recorded recorded = mail.recorded();
        Envelope envelope = mail.envelope();
        transfers.markState(recorded.messageId(), MessageState.RELAYED);
        if (mail.retryKey() != null) {
            retries.forget(recorded.messageId());
        }
        audit.record(
                "mail-linked",
                recorded.messageId(),
                null,
                envelope.sender(),
                envelope.clientAddress(),
                recorded.files().size() + " file(s) linked for "
                        + mail.recipientsWith(Decision.LINK).size() + " recipient(s), "
                        + mail.recipientsWith(Decision.PASS_THROUGH).size() + " unchanged");
        return Next.CONTINUE;
    }
}
