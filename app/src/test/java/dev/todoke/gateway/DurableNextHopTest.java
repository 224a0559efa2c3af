package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.database.Durability;
import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order that makes a crash lose nothing a recipient holds (ADR 0190): a barrier before anything leaves
 * for the next hop, and after each acceptance the relay step records.
 */
class DurableNextHopTest extends StepTestBase {

    private final List<String> events = new ArrayList<>();

    private final Durability durability = new Durability() {
        @Override
        public void barrier() {
            events.add("barrier");
        }

        @Override
        public Scope deferred() {
            return () -> events.add("scope closed");
        }
    };

    /** Logs each send, then lets the recording next hop take it. */
    private final NextHop logging = new NextHop() {
        @Override
        public void send(String sender, List<String> recipients, MessageContent message) {
            events.add("send " + recipients);
        }

        @Override
        public String describe() {
            return "logging next hop";
        }
    };

    private final CopyLedger ledger = new CopyLedger() {
        @Override
        public boolean accepted(String key) {
            return false;
        }

        @Override
        public void record(String key) {
            events.add("record " + key);
        }
    };

    @Test
    void sendWhenDirectOrInASessionThenABarrierFirst() throws Exception {
        DurableNextHop nextHop = new DurableNextHop(logging, durability);
        MessageContent content = MessageContent.of(Files.writeString(dir.resolve("m.eml"), "m"));

        nextHop.send("a@example.jp", List.of(EXTERNAL), content);
        try (NextHop.Session session = nextHop.session()) {
            session.send("a@example.jp", List.of(EXTERNAL_2), content);
        }

        assertThat(events)
                .containsExactly("barrier", "send [" + EXTERNAL + "]", "barrier", "send [" + EXTERNAL_2 + "]");
        assertThat(nextHop.describe()).isEqualTo("logging next hop");
    }

    @Test
    void relayWhenCopiesThenEachAcceptanceRecordedAndMadeDurableBeforeTheNextSend() throws Exception {
        MailTransaction mail = fixture.parsed(StepFixture.withOneAttachment(), EXTERNAL, INTERNAL, EXTERNAL_2);
        mail.ledger(ledger);
        mail.addCopy(
                EXTERNAL, MessageContent.of(Files.writeString(dir.resolve("c1.eml"), "one", StandardCharsets.UTF_8)));
        mail.addCopy(
                EXTERNAL_2, MessageContent.of(Files.writeString(dir.resolve("c2.eml"), "two", StandardCharsets.UTF_8)));

        new RelayStep(new DurableNextHop(logging, durability), durability).apply(mail);

        assertThat(events)
                .containsExactly(
                        "barrier",
                        "send [" + INTERNAL + "]",
                        "record " + CopyLedger.original(INTERNAL),
                        "barrier",
                        "barrier",
                        "send [" + EXTERNAL + "]",
                        "record " + CopyLedger.copy(EXTERNAL),
                        "barrier",
                        "barrier",
                        "send [" + EXTERNAL_2 + "]",
                        "record " + CopyLedger.copy(EXTERNAL_2),
                        "barrier");
    }
}
