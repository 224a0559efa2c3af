package dev.todoke.gateway;

import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.smtp.Envelope;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.Transfers;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The last step: the message becomes {@code relayed} (so that a retry is recognised) and the audit gets
 * {@code mail-linked}, both in one database transaction (one commit per mail here instead of two,
 * docs/benchmarks.md), the tokens kept for a retry unnamed in the same transaction and deleted after
 * it ({@link CopyRetry#detach}).
 * Thread-safe. Failure: {@code DataAccessException}.
 */
final class MarkRelayedStep implements MailStep {

    private final Transfers transfers;
    private final AuditLog audit;
    private final CopyRetry retries;
    private final TransactionOperations transactions;

    MarkRelayedStep(Transfers transfers, AuditLog audit, CopyRetry retries, TransactionOperations transactions) {
        this.transfers = transfers;
        this.audit = audit;
        this.retries = retries;
        this.transactions = transactions;
    }

    @Override
    public Next apply(MailTransaction mail) {
        String tokens = transactions.execute(status -> {
            markRelayed(mail);
            return retries.detach(mail);
        });
        retries.delete(tokens);
        return Next.CONTINUE;
    }

    private void markRelayed(MailTransaction mail) {
        Recorded recorded = mail.recorded();
        Envelope envelope = mail.envelope();
        transfers.markState(recorded.messageId(), MessageState.RELAYED);
        audit.record(
                "mail-linked",
                recorded.messageId(),
                null,
                envelope.sender(),
                envelope.clientAddress(),
                recorded.files().size() + " file(s) linked for "
                        + mail.recipientsWith(Decision.LINK).size() + " recipient(s), "
                        + mail.recipientsWith(Decision.PASS_THROUGH).size() + " unchanged");
    }
}
