package dev.todoke.gateway;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import dev.todoke.smtp.Envelope;
import java.util.List;
import java.util.Map;

/**
 * Relay to the next hop, always with the original envelope sender. Mail passed unchanged: the original
 * to every recipient in one transaction. Otherwise the original to the pass-through recipients in one
 * transaction, then each copy to its recipient in its own. The one step that also runs for unchanged
 * mail. Thread-safe when the next hop is.
 */
final class RelayStep implements MailStep {

    private final NextHop nextHop;

    RelayStep(NextHop nextHop) {
        this.nextHop = nextHop;
    }

    /** @throws RelayException when the next hop does not take a message */
    @Override
    public Next apply(MailTransaction mail) throws RelayException {
        Envelope envelope = mail.envelope();
        if (mail.isUnchanged()) {
            nextHop.send(envelope.sender(), envelope.recipients(), mail.original());
            return Next.CONTINUE;
        }
        List<String> passThrough = mail.recipientsWith(Decision.PASS_THROUGH);
        if (!passThrough.isEmpty()) {
            nextHop.send(envelope.sender(), passThrough, mail.original());
        }
        for (Map.Entry<String, MessageContent> copy : mail.copies().entrySet()) {
            nextHop.send(envelope.sender(), List.of(copy.getKey()), copy.getValue());
        }
        return Next.CONTINUE;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }
}
