package dev.todoke.ops;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * A {@link NextHop} that times every send in {@code todoke.relay} (a timer: count, total and maximum
 * latency) tagged {@code outcome} = {@code sent}, {@code temporary-failure} or {@code
 * permanent-failure} (also every send of a {@link #session}), then behaves exactly like the next hop it
 * wraps. Thread-safe as that one is.
 */
final class MeteredNextHop implements NextHop {

    private final NextHop delegate;
    private final MeterRegistry registry;

    MeteredNextHop(NextHop delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
        timed(() -> delegate.send(sender, recipients, message));
    }

    /** The wrapped next hop's session, each of its sends timed like {@link #send}. */
    @Override
    public Session session() {
        Session session = delegate.session();
        return new Session() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
                timed(() -> session.send(sender, recipients, message));
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    @FunctionalInterface
    private interface Sending {
        void run() throws RelayException;
    }

    private void timed(Sending sending) throws RelayException {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "sent";
        try {
            sending.run();
        } catch (RelayException e) {
            outcome = e.isPermanent() ? "permanent-failure" : "temporary-failure";
            throw e;
        } catch (RuntimeException e) {
            outcome = "temporary-failure";
            throw e;
        } finally {
            sample.stop(Timer.builder("todoke.relay")
                    .description("Messages handed to the next hop, by outcome, with the time each took")
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
