package dev.todoke.gateway;

/**
 * Before the copies are written: a message just recorded by the store step (fresh mail, not held, not
 * resumed) keeps the tokens its copies will carry until the next hop accepted each, and from here every
 * acceptance is recorded ({@link CopyRetry#remember}, ADR 0150). Does nothing for the release of held
 * mail and for a resumed attempt, which come with their ledger. Thread-safe. Failure: {@code
 * StorageException}, {@code DataAccessException}.
 */
final class CopyRetryStep implements MailStep {

    private final CopyRetry retries;

    CopyRetryStep(CopyRetry retries) {
        this.retries = retries;
    }

    @Override
    public Next apply(MailTransaction mail) {
        if (mail.retryKey() != null && mail.recorded() != null && mail.ledger() == CopyLedger.NONE) {
            retries.remember(mail, mail.retryKey());
        }
        return Next.CONTINUE;
    }
}
