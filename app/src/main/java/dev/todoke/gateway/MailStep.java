package dev.todoke.gateway;

import dev.todoke.relay.RelayException;
import java.io.IOException;

/**
 * One step of the gateway's pipeline (see docs/gateway.md): it looks at, and adds to, one {@link
 * MailTransaction}.
 *
 * <p><b>Call order.</b> {@link MailPipeline} calls the steps of one transaction one after another, in
 * the order built in {@link GatewayConfiguration#mailPipeline}, each at most once: loop seal, direction, recipient
 * policy, parse, forced BCC, encrypted/signed handling, virus scan (when enabled), inspection, store and record, hold, keep the copy tokens, write copies, relay, receipt, mark
 * relayed. A step may rely on what the steps before it put into the transaction. A step that answers
 * {@link Next#PASS_UNCHANGED} ends the rewriting: the steps after it run only if they {@link
 * #appliesToUnchangedMail() apply to unchanged mail} (the relay does, and sends the original to every
 * recipient exactly once; the copies and the receipt do, for forced BCC). A step that answers {@link Next#DONE} ends the pipeline: nothing more
 * runs and the client gets 250.
 *
 * <p><b>Thread safety.</b> One instance serves every transaction, from many threads at once: a step
 * keeps no per-transaction state in its fields (that belongs in the transaction) and must be
 * thread-safe. The transaction itself is confined to the thread that runs the pipeline.
 *
 * <p><b>Failure.</b> A step never answers the client itself. It throws {@link MailRefusal} to refuse
 * the mail for good (554), and lets library and domain exceptions through for anything temporary
 * ({@link IOException}, {@link RelayException}, {@code StorageException}, {@code DataAccessException},
 * {@code SystemMailException}); {@link GatewayFilter} turns either into the SMTP reply and cleans up
 * what the transaction records as written. A step that starts writing (blobs, rows, spooled copies)
 * first calls {@link MailTransaction#startWriting()} and records what it wrote as soon as it exists.
 */
interface MailStep {

    /** What the pipeline does after a step. */
    enum Next {
        /** Go on with the next step. */
        CONTINUE,
        /** Nothing to rewrite: the original goes to every recipient; only steps for unchanged mail run. */
        PASS_UNCHANGED,
        /** Finished: no further step runs, the client gets 250. */
        DONE
    }

    /**
     * Does this step's work on one transaction.
     *
     * @return what the pipeline does next
     * @throws MailRefusal to refuse the mail permanently
     * @throws IOException when the spool cannot be read or written (temporary)
     * @throws RelayException when the next hop does not take a message (temporary)
     */
    Next apply(MailTransaction mail) throws MailRefusal, IOException, RelayException;

    /** Whether this step runs for mail that an earlier step passed unchanged; false by default. */
    default boolean appliesToUnchangedMail() {
        return false;
    }
}
