package dev.todoke.gateway;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A next hop that keeps the exact bytes of every message per recipient (SubEthaSMTP, which hands over
 * DATA unchanged apart from dot-unstuffing). Used where byte identity matters more than GreenMail's
 * mailbox model: GreenMail re-serialises what it stores and so changes some unusual messages. Counts
 * the connections that carried transactions.
 */
final class RawNextHopCapture implements BeforeEachCallback, AfterAllCallback {

    private final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();
    private final AtomicInteger transactions = new AtomicInteger();
    private final Set<MessageContext> connections = ConcurrentHashMap.newKeySet();
    private final SMTPServer server;

    RawNextHopCapture() {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .maxMessageSize(0)
                .insertReceivedHeaders(false)
                .messageHandlerFactory(context -> new MessageHandler() {
                    private final List<String> recipients = new ArrayList<>();

                    @Override
                    public void from(String from) {
                        connections.add(context);
                    }

                    @Override
                    public void recipient(String recipient) {
                        recipients.add(recipient);
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        byte[] bytes = data.readAllBytes();
                        for (String recipient : recipients) {
                            received.computeIfAbsent(recipient, r -> new CopyOnWriteArrayList<>())
                                    .add(bytes);
                            transactions.incrementAndGet();
                        }
                        return null;
                    }

                    @Override
                    public void done() {}
                })
                .build();
        server.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    int port() {
        return server.getPortAllocated();
    }

    void stop() {
        server.stop();
    }

    void reset() {
        received.clear();
        transactions.set(0);
        connections.clear();
    }

    /** The connections that carried at least one transaction since the last {@link #reset}. */
    int connections() {
        return connections.size();
    }

    /** Messages received, counted once per recipient. */
    int count() {
        return transactions.get();
    }

    List<byte[]> rawFor(String address) {
        return new ArrayList<>(received.getOrDefault(address, List.of()));
    }

    List<MimeMessage> messagesFor(String address) {
        return rawFor(address).stream().map(NextHopCapture::parse).toList();
    }
}
