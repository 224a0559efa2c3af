package dev.todoke.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.relay.MessageContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevOutboxTest {

    @TempDir
    Path dir;

    private final DevOutbox outbox = new DevOutbox(
            Path.of("placeholder"),
            Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC),
            new SecureRandom());

    private DevOutbox outbox() {
        return new DevOutbox(
                dir.resolve("outbox"),
                Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC),
                new SecureRandom());
    }

    @Test
    void sendWhenMessageWrittenThenListedWithEnvelopeAndExactBytes() throws Exception {
        DevOutbox outbox = outbox();
        byte[] bytes = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);

        outbox.send("", List.of("a@example.org", "b@example.net"), MessageContent.of(bytes));

        List<DevOutbox.OutboxEntry> entries = outbox.list();
        assertThat(entries).hasSize(1);
        DevOutbox.OutboxEntry entry = entries.getFirst();
        assertThat(entry.id()).startsWith("20261123T101530000Z-");
        assertThat(entry.sender()).isEmpty();
        assertThat(entry.recipients()).containsExactly("a@example.org", "b@example.net");
        assertThat(Files.readAllBytes(entry.file())).isEqualTo(bytes);
        assertThat(outbox.find(entry.id())).contains(entry);
    }

    @Test
    void findWhenIdIsNotOursThenEmpty() {
        assertThat(outbox().find("../../etc/passwd")).isEmpty();
        assertThat(outbox().find("20261123T101530000Z-000000000000")).isEmpty();
        assertThat(outbox().describe()).startsWith("dev outbox");
    }
}
