package dev.todoke.outbox;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import dev.todoke.storage.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dev outbox: the next hop when none is configured. Each message becomes {@code <id>.eml} (the
 * bytes exactly as relayed) and {@code <id>.envelope} (one {@code from <address>} line, then one {@code
 * to <address>} line per recipient) in one directory. The envelope file is written last and atomically,
 * so a listed message is always complete. Thread-safe.
 */
final class DevOutbox implements NextHop {

    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{12}");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;
    private final SecureRandom random;

    DevOutbox(Path directory, Clock clock, SecureRandom random) {
        this.directory = directory;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        String id = ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(suffix);
        try {
            OwnerOnly.createDirectories(directory);
            Path eml = directory.resolve(id + ".eml");
            try (InputStream in = message.open()) {
                writeAtomically(eml, in);
            }
            StringBuilder envelope = new StringBuilder("from ").append(sender).append('\n');
            recipients.forEach(r -> envelope.append("to ").append(r).append('\n'));
            writeAtomically(
                    directory.resolve(id + ".envelope"),
                    new java.io.ByteArrayInputStream(envelope.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new RelayException("dev outbox " + directory + " not writable: " + e.getMessage(), false, e);
        }
    }

    @Override
    public String describe() {
        return "dev outbox (" + directory + ")";
    }

    Path directory() {
        return directory;
    }

    /** Every message in the outbox, newest first. */
    List<OutboxEntry> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> ids = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".envelope"))
                    .map(n -> n.substring(0, n.length() - ".envelope".length()))
                    .filter(n -> ID.matcher(n).matches())
                    .sorted(Comparator.reverseOrder())
                    .toList();
            List<OutboxEntry> entries = new ArrayList<>();
            for (String id : ids) {
                find(id).ifPresent(entries::add);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One message by id; empty when there is none (or the id is not one of ours). */
    Optional<OutboxEntry> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path envelopeFile = directory.resolve(id + ".envelope");
        Path eml = directory.resolve(id + ".eml");
        if (!Files.isRegularFile(envelopeFile) || !Files.isRegularFile(eml)) {
            return Optional.empty();
        }
        try {
            String sender = "";
            List<String> recipients = new ArrayList<>();
            for (String line : Files.readAllLines(envelopeFile, StandardCharsets.UTF_8)) {
                if (line.startsWith("from ")) {
                    sender = line.substring(5);
                } else if (line.startsWith("to ")) {
                    recipients.add(line.substring(3));
                }
            }
            Instant time = ID_TIME.parse(id.substring(0, id.indexOf('-')), Instant::from);
            return Optional.of(new OutboxEntry(id, time, sender, recipients, eml, Files.size(eml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path target, InputStream content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            Files.copy(content, temp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** One stored message and its envelope. */
    record OutboxEntry(String id, Instant time, String sender, List<String> recipients, Path file, long size) {}
}
