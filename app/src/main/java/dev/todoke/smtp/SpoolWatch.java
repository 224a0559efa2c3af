package dev.todoke.smtp;

/**
 * What the {@link MailFilter} may do with a large message's spool file while DATA is still arriving
 * ({@link MailFilter#watch}, ADR 0198). The listener calls {@link #grown} as the file grows (from the
 * thread that writes the spool), then {@link #ended} once, then {@link #close} once when the transaction
 * is over, after {@link MailFilter#process} or instead of it. Implementations never throw from these
 * methods and do not hold up the caller: the session goes on whatever the watch does.
 */
public interface SpoolWatch extends AutoCloseable {

    /** Watches nothing. */
    SpoolWatch NONE = new SpoolWatch() {
        @Override
        public void grown(long length) {}

        @Override
        public void ended(boolean complete) {}

        @Override
        public void close() {}
    };

    /** The first {@code length} octets of the spool file are written (and readable by others). */
    void grown(long length);

    /**
     * No more octets come. {@code complete} when DATA was received whole and within the limits: the file
     * is then the message that {@link MailFilter#process} gets; otherwise it will not be processed.
     */
    void ended(boolean complete);

    /** The transaction is over: let go of the file and of whatever the watch made that nobody took. */
    @Override
    void close();
}
