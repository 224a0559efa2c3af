package dev.todoke.ops;

import dev.todoke.relay.ForwardingNextHop;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link NextHop} that times every send in {@code todoke.relay} (a timer: count, total and maximum
 * latency) tagged {@code outcome} = {@code sent}, {@code temporary-failure} or {@code
 * permanent-failure} (also every send of a session), then behaves exactly like the next hop it wraps.
 * Thread-safe as that one is.
 */
final class MeteredNextHop extends ForwardingNextHop {

    private final MeterRegistry registry;

    MeteredNextHop(NextHop delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    protected void around(Send sending) throws RelayException {
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
}
