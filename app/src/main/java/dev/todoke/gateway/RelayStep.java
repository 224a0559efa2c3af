package dev.todoke.gateway;

import dev.todoke.database.Durability;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import java.util.List;
import java.util.Map;

/**
 * Relay to the next hop, always with the original envelope sender: the original to every recipient
 * without a copy of their own in one transaction (mail passed unchanged: every recipient, unless forced
 * BCC gave the external ones copies; otherwise the pass-through recipients), then each copy to its
 * recipient in its own, all over the transaction's one next-hop session (one connection). A copy the
 * transaction's {@link CopyLedger} already holds is skipped (a retried release of held mail, or a retry
 * of fresh mail after a crash: ADR 0150), and each accepted one is recorded there as soon as the next hop
 * accepted it (the original once per pass-through recipient, since a retry may group them otherwise), and
 * the record made durable at once (ADR 0190). Also runs for unchanged mail. Thread-safe when the next hop
 * is.
 */
final class RelayStep implements MailStep {

    private final NextHop nextHop;
    private final Durability durability;

    RelayStep(NextHop nextHop, Durability durability) {
        this.nextHop = nextHop;
        this.durability = durability;
    }

    /** @throws RelayException when the next hop does not take a message */
    @Override
    public Next apply(MailTransaction mail) throws RelayException {
        Envelope envelope = mail.envelope();
        NextHop.Session session = mail.nextHopSession(nextHop);
        CopyLedger ledger = mail.ledger();
        List<String> passThrough = (mail.isUnchanged()
                        ? envelope.recipients()
                        : mail.recipientsWith(Decision.PASS_THROUGH))
                .stream()
                        .filter(r -> !mail.copies().containsKey(r))
                        .filter(r -> !ledger.accepted(CopyLedger.original(r)))
                        .toList();
        if (!passThrough.isEmpty()) {
            session.send(envelope.sender(), passThrough, mail.original());
            passThrough.forEach(r -> ledger.record(CopyLedger.original(r)));
            durability.barrier();
        }
        for (Map.Entry<String, MessageContent> copy : mail.copies().entrySet()) {
            String key = CopyLedger.copy(copy.getKey());
            if (!ledger.accepted(key)) {
                session.send(envelope.sender(), List.of(copy.getKey()), copy.getValue());
                ledger.record(key);
                durability.barrier();
            }
        }
        return Next.CONTINUE;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }
}
