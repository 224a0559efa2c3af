package dev.todoke.gateway;

import dev.todoke.database.Durability;
import dev.todoke.relay.ForwardingNextHop;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;

/**
 * The next hop as the pipeline's steps see it: nothing leaves before what the mail path has committed is
 * durable ({@link Durability#barrier}), so that a copy or a notice the next hop accepted never refers to
 * a link, a hold or a record that a kill of the process would lose (ADR 0190). Thread-safe when the next
 * hop is.
 */
final class DurableNextHop extends ForwardingNextHop {

    private final Durability durability;

    DurableNextHop(NextHop next, Durability durability) {
        super(next);
        this.durability = durability;
    }

    @Override
    protected void around(Send send) throws RelayException {
        durability.barrier();
        send.run();
    }
}
