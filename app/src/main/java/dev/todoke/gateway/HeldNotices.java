package dev.todoke.gateway;

import dev.todoke.gateway.HoldMails.About;
import dev.todoke.gateway.HoldMails.What;
import dev.todoke.relay.NextHop;
import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.Holds.Held;
import dev.todoke.transfer.Transfers;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's mail about a held message (reminders, notices to the sender, the TLS update): reads its
 * {@link HoldContext} back from the blob store and sends a {@link HoldMails} mail over a next-hop session
 * of its own. Thread-safe. Failures: {@link IOException} (blob), {@code StorageException}, {@code
 * SystemMailException}, {@code DataAccessException}.
 */
final class HeldNotices {

    private final Transfers transfers;
    private final HoldMails mails;
    private final BlobStore blobs;
    private final NextHop nextHop;

    HeldNotices(Transfers transfers, HoldMails mails, BlobStore blobs, NextHop nextHop) {
        this.transfers = transfers;
        this.mails = mails;
        this.blobs = blobs;
        this.nextHop = nextHop;
    }

    HoldContext context(Held held) throws IOException {
        try (InputStream in = blobs.open(held.contextBlob())) {
            return HoldContext.read(in);
        }
    }

    /** The TLS verdicts as recorded at hold time, per envelope recipient ("" when not known then). */
    static Map<String, String> recordedVerdicts(Held held, HoldContext context) {
        Map<String, String> tls = new LinkedHashMap<>();
        for (String recipient : held.recipients()) {
            RecipientPolicy.Outcome outcome = context.decisions().get(recipient);
            tls.put(recipient, outcome == null ? "" : outcome.tlsVerdict());
        }
        return tls;
    }

    /**
     * Sends one mail about a held message.
     *
     * @param tls the verdict per recipient to show
     * @param path the page the mail links to; null for none
     */
    void send(What what, String to, Held held, Map<String, String> tls, String path) {
        String subject = transfers
                .message(held.messageId())
                .map(Transfers.Message::subject)
                .orElse(null);
        About about = new About(
                subject,
                tls,
                transfers.files(held.messageId()),
                held.releaseAt(),
                held.decideBy(),
                held.reason(),
                held.approver(),
                held.envelopeFrom());
        try (NextHop.Session session = nextHop.session()) {
            mails.send(session, what, to, about, path);
        }
    }
}
