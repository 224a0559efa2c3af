package dev.todoke.outbox;

import dev.todoke.relay.NextHop;
import dev.todoke.relay.NextHopContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** {@link DevOutbox} keeps the {@link NextHopContract}: what the outbox lists is what was relayed. */
class DevOutboxContractTest implements NextHopContract {

    @TempDir
    Path dir;

    private DevOutbox outbox;

    @Override
    public NextHop nextHop() {
        if (outbox == null) {
            outbox = new DevOutbox(dir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
        }
        return outbox;
    }

    @Override
    public List<Delivered> delivered() throws IOException {
        DevOutbox reader = (DevOutbox) nextHop();
        List<Delivered> delivered = new java.util.ArrayList<>();
        for (DevOutbox.OutboxEntry entry : reader.list().reversed()) {
            delivered.add(new Delivered(entry.sender(), entry.recipients(), Files.readAllBytes(entry.file())));
        }
        return delivered;
    }

    @Override
    public void refuseEverything() throws IOException {
        Path directory = ((DevOutbox) nextHop()).directory();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
        Files.writeString(directory, "a file where the outbox directory should be");
    }
}
