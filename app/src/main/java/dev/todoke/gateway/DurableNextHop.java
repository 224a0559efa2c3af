package dev.todoke.gateway;

import dev.todoke.database.Durability;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import java.util.List;

/**
 * The next hop as the pipeline's steps see it: nothing leaves before what the mail path has committed is
 * durable ({@link Durability#barrier}), so that a copy or a notice the next hop accepted never refers to
 * a link, a hold or a record that a kill of the process would lose (ADR 0190). Thread-safe when the next
 * hop is.
 */
final class DurableNextHop implements NextHop {

    private final NextHop next;
    private final Durability durability;

    DurableNextHop(NextHop next, Durability durability) {
        this.next = next;
        this.durability = durability;
    }

    @Override
    public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
        durability.barrier();
        next.send(sender, recipients, message);
    }

    @Override
    public Session session() {
        Session session = next.session();
        return new Session() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
                durability.barrier();
                session.send(sender, recipients, message);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    @Override
    public String describe() {
        return next.describe();
    }
}
