package dev.todoke.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A real SMTP server (SubEthaSMTP) as the next hop in tests: records the envelope and the exact bytes
 * of every message, whether TLS was on, and who logged in. Can refuse recipients or DATA, count the
 * connections that carried transactions, and drop them.
 */
public final class CaptureServer implements AutoCloseable {

    public record Captured(String sender, List<String> recipients, byte[] bytes, boolean tls) {}

    public final List<Captured> messages = new CopyOnWriteArrayList<>();
    public final List<String> logins = new CopyOnWriteArrayList<>();
    /** Every connection that carried at least one transaction (MAIL FROM). */
    public final Set<Session> connections = ConcurrentHashMap.newKeySet();

    private final SMTPServer server;

    /** A reply code for a recipient, or 0 to accept it. */
    volatile Function<String, Integer> recipientReply = r -> 0;

    volatile int dataReply;

    public CaptureServer(SSLContext tls, String user, String password) {
        SMTPServer.Builder builder = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("capture.test")
                .insertReceivedHeaders(false)
                .messageHandlerFactory(Handler::new);
        if (tls != null) {
            builder.enableTLS(true).startTlsSocketFactory(socket -> {
                SSLSocket s = (SSLSocket) tls.getSocketFactory()
                        .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                s.setUseClientMode(false);
                return s;
            });
        }
        if (user != null) {
            builder.requireAuth(true)
                    .showAuthCapabilitiesBeforeSTARTTLS(true)
                    .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((u, p, context) -> {
                        if (!u.equals(user) || !p.equals(password)) {
                            throw new LoginFailedException();
                        }
                        logins.add(u);
                    }));
        }
        server = builder.build();
        server.start();
    }

    public int port() {
        return server.getPortAllocated();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Answers RCPT for each recipient with {@code reply}'s code, 0 to accept it (a next hop failing half-way). */
    public void replyToRecipients(Function<String, Integer> reply) {
        recipientReply = reply;
    }

    /** Closes every connection that carried a transaction, as a next hop restarting or timing out does. */
    public void dropConnections() throws IOException {
        for (Session session : connections) {
            session.getSocket().close();
        }
    }

    private final class Handler implements MessageHandler {

        private final MessageContext context;
        private String sender;
        private final List<String> recipients = new ArrayList<>();

        Handler(MessageContext context) {
            this.context = context;
            if (context instanceof Session session) {
                connections.add(session);
            }
        }

        @Override
        public void from(String from) {
            sender = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            int code = recipientReply.apply(recipient);
            if (code != 0) {
                throw new RejectException(code, (code >= 500 ? "5.1.1" : "4.2.1") + " not today: " + recipient);
            }
            recipients.add(recipient);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] bytes = data.readAllBytes();
            if (dataReply != 0) {
                throw new RejectException(dataReply, "5.6.0 content refused");
            }
            boolean tls = context instanceof Session session && session.isTLSStarted();
            messages.add(new Captured(sender, List.copyOf(recipients), bytes, tls));
            return null;
        }

        @Override
        public void done() {}
    }
}
