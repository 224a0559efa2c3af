package dev.todoke.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredNextHopTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void sendWhenNextHopAcceptsOrRefusesThenTimedByOutcomeAndFailuresPassThrough() throws Exception {
        RelayException temporary = new RelayException("451 try later", false, null);
        RelayException permanent = new RelayException("550 no", true, null);
        NextHop accepting = new MeteredNextHop(hop(null), registry);
        NextHop deferring = new MeteredNextHop(hop(temporary), registry);
        NextHop refusing = new MeteredNextHop(hop(permanent), registry);

        accepting.send("a@example.jp", List.of("b@partner.example"), null);
        accepting.send("a@example.jp", List.of("b@partner.example"), null);
        assertThatThrownBy(() -> deferring.send("a@example.jp", List.of("b@partner.example"), null))
                .isSameAs(temporary);
        assertThatThrownBy(() -> refusing.send("a@example.jp", List.of("b@partner.example"), null))
                .isSameAs(permanent);

        assertThat(count("sent")).isEqualTo(2);
        assertThat(count("temporary-failure")).isEqualTo(1);
        assertThat(count("permanent-failure")).isEqualTo(1);
        assertThat(accepting.describe()).isEqualTo("smtp://test");
    }

    @Test
    void sessionWhenSendsThenEachTimedAndCloseReachesTheWrappedSession() throws Exception {
        List<String> events = new java.util.ArrayList<>();
        NextHop wrapped = new NextHop() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) {
                events.add("plain send");
            }

            @Override
            public Session session() {
                return new Session() {
                    @Override
                    public void send(String sender, List<String> recipients, MessageContent message) {
                        events.add("session send");
                    }

                    @Override
                    public void close() {
                        events.add("close");
                    }
                };
            }

            @Override
            public String describe() {
                return "smtp://test";
            }
        };

        try (NextHop.Session session = new MeteredNextHop(wrapped, registry).session()) {
            session.send("a@example.jp", List.of("b@partner.example"), null);
            session.send("a@example.jp", List.of("c@partner.example"), null);
        }

        assertThat(events).containsExactly("session send", "session send", "close");
        assertThat(count("sent")).isEqualTo(2);
    }

    private long count(String outcome) {
        return registry.get("todoke.relay").tag("outcome", outcome).timer().count();
    }

    private static NextHop hop(RelayException failure) {
        return new NextHop() {
            @Override
            public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public String describe() {
                return "smtp://test";
            }
        };
    }
}
