package dev.todoke.web;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** Reads the mails the dev outbox (the next hop when none is configured) keeps under the data dir. */
public final class Outbox {

    private final Path directory;

    public Outbox(Path dataDir) {
        this.directory = dataDir.resolve("outbox");
    }

    /** A mail as the next hop got it. */
    public record Mail(String id, String to, String kind, String subject, String text, String html, String raw) {}

    /** Every complete mail to this address, oldest first. */
    public List<Mail> to(String address) {
        return all().stream().filter(m -> m.to().equalsIgnoreCase(address)).toList();
    }

    public List<Mail> all() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".envelope"))
                    .sorted()
                    .map(Outbox::read)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mail read(Path envelope) {
        String name = envelope.getFileName().toString();
        Path eml = envelope.resolveSibling(name.substring(0, name.length() - ".envelope".length()) + ".eml");
        try (InputStream in = Files.newInputStream(eml)) {
            String to = Files.readAllLines(envelope).stream()
                    .filter(l -> l.startsWith("to "))
                    .map(l -> l.substring(3).trim())
                    .findFirst()
                    .orElse("");
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            String text = null;
            String html = null;
            Object content = message.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart part = multipart.getBodyPart(i);
                    if (part.isMimeType("text/plain")) {
                        text = (String) part.getContent();
                    } else if (part.isMimeType("text/html")) {
                        html = (String) part.getContent();
                    }
                }
            } else {
                text = String.valueOf(content);
            }
            return new Mail(
                    name.substring(0, name.length() - ".envelope".length()),
                    to,
                    message.getHeader("X-Todoke-Kind", null),
                    message.getSubject(),
                    text,
                    html,
                    Files.readString(eml, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
