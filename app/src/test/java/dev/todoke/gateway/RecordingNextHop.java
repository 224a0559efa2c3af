package dev.todoke.gateway;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A next hop in memory: records every transaction's envelope and bytes; can be told to refuse. */
final class RecordingNextHop implements NextHop {

    /** One SMTP transaction as the next hop got it. */
    record Sent(String sender, List<String> recipients, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    final List<Sent> sent = new ArrayList<>();
    private volatile boolean down;

    /** From now on every send fails with a temporary {@link RelayException}. */
    RecordingNextHop down() {
        down = true;
        return this;
    }

    /** From now on sends succeed again. */
    RecordingNextHop up() {
        down = false;
        return this;
    }

    @Override
    public synchronized void send(String sender, List<String> recipients, MessageContent message)
            throws RelayException {
        if (down) {
            throw new RelayException("next hop down", false, null);
        }
        try (InputStream in = message.open()) {
            sent.add(new Sent(sender, List.copyOf(recipients), in.readAllBytes()));
        } catch (IOException e) {
            throw new RelayException("cannot read the message", false, e);
        }
    }

    @Override
    public String describe() {
        return "recording";
    }
}
