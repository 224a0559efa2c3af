package dev.todoke.web;

import dev.todoke.link.LinkTokens;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StoredBlob;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Builds the transfer the gateway would have written (message, files, links) for web tests, through
 * {@link Transfers}, with the file bytes put into a blob store. Returns the tokens, which the database
 * never holds.
 */
public final class TestRows {

    private final Transfers transfers;
    private final BlobStore store;
    private final LinkTokens tokens = new LinkTokens(new SecureRandom());

    private String envelopeFrom = "taro@corp.example";
    private String headerFrom = "\"Taro Sender\" <taro@corp.example>";
    private String subject = "見積書 / Quote";
    private Instant createdAt;
    private Duration lifetime = Duration.ofDays(7);
    private MessageState state = MessageState.RELAYED;
    private final List<String> recipients = new ArrayList<>();
    private final List<FileSpec> files = new ArrayList<>();

    private record FileSpec(String name, String contentType, byte[] bytes) {}

    /** A created file: id, name, the bytes and their SHA-256. */
    public record File(UUID id, String name, byte[] bytes, String sha256) {}

    /** A created link: id and the token that opens it. */
    public record Link(UUID id, String recipient, String token) {}

    /** What was created. */
    public record Created(UUID messageId, String manageToken, Map<String, Link> links, List<File> files) {
        public Link link(String recipient) {
            return links.get(recipient);
        }

        public Link firstLink() {
            return links.values().iterator().next();
        }
    }

    private TestRows(JdbcClient jdbc, BlobStore store, Instant now) {
        this.transfers = new Transfers(jdbc, TransactionOperations.withoutTransaction(), event -> {});
        this.store = store;
        this.createdAt = now;
    }

    public static TestRows message(JdbcClient jdbc, BlobStore store, Instant now) {
        return new TestRows(jdbc, store, now);
    }

    public TestRows from(String envelope, String header) {
        this.envelopeFrom = envelope;
        this.headerFrom = header;
        return this;
    }

    public TestRows subject(String text) {
        this.subject = text;
        return this;
    }

    public TestRows createdAt(Instant at) {
        this.createdAt = at;
        return this;
    }

    public TestRows lifetime(Duration duration) {
        this.lifetime = duration;
        return this;
    }

    public TestRows state(MessageState messageState) {
        this.state = messageState;
        return this;
    }

    public TestRows recipient(String address) {
        recipients.add(address);
        return this;
    }

    public TestRows file(String name, String contentType, byte[] bytes) {
        files.add(new FileSpec(name, contentType, bytes));
        return this;
    }

    public TestRows file(String name, String text) {
        return file(name, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    public Created insert() {
        UUID messageId = UUID.randomUUID();
        String manageToken = tokens.newToken();
        List<StoredFile> stored = new ArrayList<>();
        List<File> created = new ArrayList<>();
        for (FileSpec spec : files) {
            StoredBlob blob = store.put(new ByteArrayInputStream(spec.bytes()));
            StoredFile file = new StoredFile(
                    UUID.randomUUID(),
                    stored.size(),
                    spec.name(),
                    spec.contentType(),
                    spec.bytes().length,
                    sha256(spec.bytes()),
                    blob.key());
            stored.add(file);
            created.add(new File(file.id(), spec.name(), spec.bytes(), file.sha256()));
        }
        Map<String, Link> links = new LinkedHashMap<>();
        List<Transfers.NewLink> newLinks = new ArrayList<>();
        for (String recipient : recipients) {
            String token = tokens.newToken();
            Transfers.NewLink link = new Transfers.NewLink(UUID.randomUUID(), recipient, LinkTokens.hash(token));
            newLinks.add(link);
            links.put(recipient, new Link(link.id(), recipient, token));
        }
        transfers.insert(
                new Transfers.NewMessage(
                        messageId,
                        envelopeFrom,
                        headerFrom,
                        subject,
                        null,
                        null,
                        createdAt,
                        createdAt.plus(lifetime),
                        LinkTokens.hash(manageToken)),
                stored,
                newLinks);
        transfers.markState(messageId, state);
        return new Created(messageId, manageToken, links, created);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
