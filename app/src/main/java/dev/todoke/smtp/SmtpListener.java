package dev.todoke.smtp;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
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
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final SmtpProperties properties;
    private final Supplier<SMTPServer> servers;
    private volatile SMTPServer server;
    private final String description;
    private final Drain drain = new Drain();
    private boolean stopped;

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
            OwnerOnly.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + spool, e);
        }
        String hostName = properties.hostName().isBlank() ? localHostName() : properties.hostName();
        SMTPServer.Builder builder = SMTPServer.port(properties.port())
                .bindAddress(bindAddress(properties.host()))
                .hostName(hostName)
                .softwareName("Todoke")
                .messageHandlerFactory(
                        context -> new TransactionHandler(context, properties, networks, filters, spool, drain))
                .sessionHandler(new AllowedNetworks(networks, drain))
                .maxMessageSize((int) properties.maxMessageSize().toBytes())
                .maxRecipients(-1) // enforced by TransactionHandler, with an enhanced status code
                .maxConnections(properties.maxConnections())
                .connectionTimeoutMs((int) properties.idleTimeout().toMillis())
                .insertReceivedHeaders(false)
                .serverThreadName("todoke-smtp");
        if (properties.tls().enabled()) {
            SSLContext tls = ListenerTls.context(properties.tls(), todoke.dataDir(), hostName, clock, random);
            builder.enableTLS(true).startTlsSocketFactory(ListenerTls.socketCreator(tls));
        }
        // A SubEthaSMTP server starts once; a listener that is stopped and started again (Spring may
        // pause and resume a context) builds a new one from the same settings.
        // A stopped server shuts its executor down, so each server gets its own. Sessions run on platform
        // threads, at most max-connections of them: the mail path blocks on sockets and files throughout,
        // and parking and waking virtual threads for that cost about 2.5 ms of CPU per mail (ADR 0195).
        this.servers = () -> builder.executorService(Executors.newCachedThreadPool(Thread.ofPlatform()
                        .name("todoke-smtp-session-", 0)
                        .daemon(true)
                        .factory()))
                .build();
        this.server = servers.get();
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
    public synchronized void start() {
        if (server.isRunning()) {
            return;
        }
        if (stopped) {
            server = servers.get();
            drain.reopen();
        }
        server.start();
        log.info("SMTP listener on {}:{} {}", properties.host(), port(), description);
    }

    /**
     * Stops gracefully: new connections and transactions are answered 421 (the client retries later)
     * while the messages being processed finish and get their answer, for up to 30 seconds.
     */
    @Override
    public synchronized void stop() {
        try {
            if (!drain.drain(SHUTDOWN_GRACE)) {
                log.warn("SMTP listener stopping with messages still in process; their clients will retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        stopped = true;
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
        private final Drain drain;

        AllowedNetworks(ClientNetworks networks, Drain drain) {
            this.networks = networks;
            this.drain = drain;
        }

        @Override
        public SessionAcceptance accept(Session session) {
            if (drain.isDraining()) {
                return SessionAcceptance.failure(421, "4.3.2 Shutting down, try again later");
            }
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
