package dev.todoke.relay;

import dev.todoke.relay.RelayProperties.StartTls;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** {@link SmtpNextHop} keeps the {@link NextHopContract}, against a real SMTP server. */
class SmtpNextHopContractTest implements NextHopContract {

    private final CaptureServer server = new CaptureServer(null, null, null);
    private final NextHop nextHop = new SmtpNextHop(SmtpNextHopTest.properties(server.port(), StartTls.OPPORTUNISTIC));

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    public NextHop nextHop() {
        return nextHop;
    }

    @Override
    public List<Delivered> delivered() {
        return server.messages.stream()
                .map(m -> new Delivered(m.sender(), m.recipients(), m.bytes()))
                .toList();
    }

    @Override
    public void dropConnections() throws Exception {
        server.dropConnections();
    }

    @Override
    public void refuseEverything() {
        server.recipientReply = r -> 451;
    }
}
