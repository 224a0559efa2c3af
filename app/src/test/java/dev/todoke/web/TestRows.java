package dev.todoke.web;

import dev.todoke.link.LinkTokens;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builds the rows the gateway would have written (message, stored_file, link) for web tests, with the
 * file bytes put into a blob store. Returns the tokens, which the database never holds.
 */
public final class TestRows {

    private final JdbcClient jdbc;
    private final BlobStore store;
    private final LinkTokens tokens = new LinkTokens(new SecureRandom());

    private String envelopeFrom = "taro@corp.example";
    private String headerFrom = "\"Taro Sender\" <taro@corp.example>";
    private String subject = "見積書 / Quote";
    private Instant createdAt;
    private Duration lifetime = Duration.ofDays(7);
    private String state = "relayed";
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
        this.jdbc = jdbc;
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

    public TestRows createdAt(Instant at) {
        this.createdAt = at;
        return this;
    }

    public TestRows lifetime(Duration duration) {
        this.lifetime = duration;
        return this;
    }

    public TestRows state(String messageState) {
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
        jdbc.sql("insert into message (id, envelope_from, header_from, subject, state, created_at, expires_at,"
                        + " manage_token_hash) values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        messageId,
                        envelopeFrom,
                        headerFrom,
                        subject,
                        state,
                        Timestamp.from(createdAt),
                        Timestamp.from(createdAt.plus(lifetime)),
                        LinkTokens.hash(manageToken))
                .update();
        List<File> created = new ArrayList<>();
        int ordinal = 0;
        for (FileSpec spec : files) {
            StoredBlob blob = store.put(new ByteArrayInputStream(spec.bytes()));
            UUID id = UUID.randomUUID();
            String sha256 = sha256(spec.bytes());
            jdbc.sql("insert into stored_file (id, message_id, ordinal, name, content_type, size, sha256, blob_key)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            id,
                            messageId,
                            ordinal++,
                            spec.name(),
                            spec.contentType(),
                            spec.bytes().length,
                            sha256,
                            blob.key())
                    .update();
            created.add(new File(id, spec.name(), spec.bytes(), sha256));
        }
        Map<String, Link> links = new LinkedHashMap<>();
        for (String recipient : recipients) {
            UUID id = UUID.randomUUID();
            String token = tokens.newToken();
            jdbc.sql("insert into link (id, message_id, recipient, token_hash, state, created_at)"
                            + " values (?, ?, ?, ?, 'active', ?)")
                    .params(id, messageId, recipient, LinkTokens.hash(token), Timestamp.from(createdAt))
                    .update();
            links.put(recipient, new Link(id, recipient, token));
        }
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
