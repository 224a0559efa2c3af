package dev.todoke.gateway;

import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.smtp.SmtpListener;
import dev.todoke.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the gateway tests share: the addresses, the application properties for a listener on a random
 * port relaying to a local capture server, sending over SMTP and reading stored blobs back.
 *
 * <p>Each test class keeps its own {@code @DynamicPropertySource} method that calls {@link
 * #gatewayProperties}: Spring caches contexts by those methods, so each class still gets its own context
 * (its own data directory and next hop).
 */
final class GatewayTestSupport {

    static final String SENDER = "sender@example.jp";
    static final String COLLEAGUE = "colleague@example.jp";
    static final String ALICE = "alice@partner.example";
    static final String PUBLIC_URL = "https://files.example.jp";

    private GatewayTestSupport() {}

    /** Data in {@code dataDir}, SMTP on a random port, relaying to 127.0.0.1 at {@code relayPort}. */
    static void gatewayProperties(DynamicPropertyRegistry registry, Path dataDir, Supplier<Object> relayPort) {
        registry.add("todoke.data-dir", dataDir::toString);
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.mail.envelope-from", () -> "todoke@example.jp");
        registry.add("todoke.relay.host", () -> "127.0.0.1");
        registry.add("todoke.relay.port", relayPort);
        registry.add("todoke.internal-domains", () -> "example.jp");
    }

    /** One SMTP transaction with the running listener, on a connection of its own. */
    static Reply send(SmtpListener listener, String from, List<String> recipients, byte[] message) throws IOException {
        try (SmtpClient client = new SmtpClient("127.0.0.1", listener.port())) {
            return client.send(from, recipients, message);
        }
    }

    /** The SHA-256 (hex) of what the store returns for {@code key}. */
    static String blobSha256(BlobStore store, Object key) throws Exception {
        try (InputStream in = store.open((String) key)) {
            return TestMails.sha256(in);
        }
    }
}
