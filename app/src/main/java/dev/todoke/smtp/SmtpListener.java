package dev.todoke.smtp;

import dev.todoke.TodokeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The SMTP listener: accepts mail from the allowed client networks and hands each transaction to the
 * {@link MailFilter} (see {@link TransactionHandler}). Starts and stops with the application. Until a
 * {@link MailFilter} bean exists, every transaction is answered {@code 451 4.3.0 Gateway not ready}.
 */
@Component
public class SmtpListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);

    private final SmtpProperties properties;
    private final SMTPServer server;
    private final String description;

    SmtpListener(
            SmtpProperties properties,
            TodokeProperties todoke,
            ObjectProvider<MailFilter> filters,
            Clock clock,
            SecureRandom random) {
        this.properties = properties;
        ClientNetworks networks = ClientNetworks.parse(properties.allowedNetworks());
        Path spool = todoke.dataDir().resolve("spool").toAbsolutePath();
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + spool, e);
        }
        String hostName = properties.hostName().isBlank() ? localHostName() : properties.hostName();
        SMTPServer.Builder builder = SMTPServer.port(properties.port())
                .bindAddress(bindAddress(properties.host()))
                .hostName(hostName)
                .softwareName("Todoke")
                .messageHandlerFactory(context -> new TransactionHandler(context, properties, networks, filters, spool))
                .sessionHandler(new AllowedNetworks(networks))
                .maxMessageSize((int) properties.maxMessageSize().toBytes())
                .maxRecipients(-1) // enforced by TransactionHandler, with an enhanced status code
                .maxConnections(properties.maxConnections())
                .connectionTimeoutMs((int) properties.idleTimeout().toMillis())
                .insertReceivedHeaders(false)
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .serverThreadName("todoke-smtp");
        if (properties.tls().enabled()) {
            SSLContext tls = ListenerTls.context(properties.tls(), todoke.dataDir(), hostName, clock, random);
            builder.enableTLS(true).startTlsSocketFactory(ListenerTls.socketCreator(tls));
        }
        this.server = builder.build();
        this.description = "(" + hostName + ", allowed "
                + properties.allowedNetworks() + ", STARTTLS "
                + (properties.tls().enabled() ? "on" : "off") + ")";
    }

    /** The port the listener is bound to: the configured one, or the one picked when configured as 0. */
    public int port() {
        return server.isRunning() ? server.getPortAllocated() : properties.port();
    }

    /** The address the listener is bound to. */
    public String host() {
        return properties.host();
    }

    @Override
    public void start() {
        server.start();
        log.info("SMTP listener on {}:{} {}", properties.host(), port(), description);
    }

    @Override
    public void stop() {
        server.stop();
        log.info("SMTP listener stopped");
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    private static InetAddress bindAddress(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("todoke.smtp.host: unknown address " + host, e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Refuses clients outside the allowed networks at connect: Todoke is never an open relay. */
    private static final class AllowedNetworks implements SessionHandler {

        private final ClientNetworks networks;

        AllowedNetworks(ClientNetworks networks) {
            this.networks = networks;
        }

        @Override
        public SessionAcceptance accept(Session session) {
            InetSocketAddress remote = session.getRemoteAddress();
            if (remote != null && networks.contains(remote.getAddress())) {
                return SessionAcceptance.success();
            }
            log.warn("Refused SMTP connection from {}: not in todoke.smtp.allowed-networks", remote);
            return SessionAcceptance.failure(554, "5.7.1 Relaying denied: your address is not allowed to send here");
        }

        @Override
        public void onSessionEnd(Session session) {
            // nothing to release
        }
    }
}
