package dev.todoke.relay;

import java.util.List;

/**
 * A next hop that wraps another: every send, each send of a {@link #session} too, runs through {@link
 * #around}, which must run it exactly once; {@link #describe} is the wrapped one's. Thread-safe when the
 * wrapped next hop and {@link #around} are.
 */
public abstract class ForwardingNextHop implements NextHop {

    private final NextHop next;

    protected ForwardingNextHop(NextHop next) {
        this.next = next;
    }

    /** One send of the wrapped next hop, to be run by {@link #around}. */
    @FunctionalInterface
    protected interface Send {
        void run() throws RelayException;
    }

    /** Runs one send of the wrapped next hop, with what this next hop adds before or after it. */
    protected abstract void around(Send send) throws RelayException;

    @Override
    public final void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
        around(() -> next.send(sender, recipients, message));
    }

    /** The wrapped next hop's session, each send through {@link #around}. */
    @Override
    public final Session session() {
        Session session = next.session();
        return new Session() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
                around(() -> session.send(sender, recipients, message));
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
