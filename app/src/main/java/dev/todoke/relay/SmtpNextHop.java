package dev.todoke.relay;

import dev.todoke.relay.RelayProperties.StartTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next hop over SMTP: one connection per {@link #send} (EHLO, STARTTLS, AUTH, MAIL, RCPT...,
 * DATA, QUIT), or one per {@link #session} for several transactions (RSET between them). The envelope
 * is kept exactly and the bytes are streamed from the {@link MessageContent} unchanged apart from
 * dot-stuffing, so memory stays bounded whatever the message size. When the next hop offers PIPELINING
 * (RFC 2920; Postfix does), MAIL, every RCPT and DATA go in one write and their replies are read after it.
 *
 * <p>A session that ends without a failure leaves its connection in a small pool ({@code
 * todoke.relay.idle-connections}, most recently used first) for the next session, which checks it with
 * {@code RSET} before its first transaction and opens a new one if the next hop has closed it; a
 * connection unused for {@code todoke.relay.idle-timeout} is closed instead of reused. So a steady flow
 * of mail costs no connection set-up (TCP, greeting, EHLO, STARTTLS, AUTH) per mail. Thread-safe: the
 * pool is the only state shared between calls (a session keeps its connection, and is confined to one
 * thread). {@link #close} ends the pooled connections.
 */
final class SmtpNextHop implements NextHop, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpNextHop.class);

    private final RelayProperties properties;
    private final RelayTls tls;
    private final String ehloName;
    private final IdleWires idle;

    SmtpNextHop(RelayProperties properties) {
        this.properties = properties;
        this.tls = new RelayTls(properties);
        this.idle = new IdleWires(properties.idleConnections(), properties.idleTimeout());
        this.ehloName = properties.ehloName().isBlank() ? localHostName() : properties.ehloName();
    }

    @Override
    public String describe() {
        return "smtp://" + properties.host() + ":" + properties.port();
    }

    @Override
    public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
        try (Session session = session()) {
            session.send(sender, recipients, message);
        }
    }

    /** A session over one connection, opened at the first send and kept until {@link Session#close}. */
    @Override
    public Session session() {
        return new SmtpSession();
    }

    /**
     * One connection for several transactions: opened (greeting, EHLO, STARTTLS, AUTH) at the first
     * send; before each later one an RSET checks that it is still alive, and if it is not (the next hop
     * closed it, or answers 421) it is reopened once. Any failure closes the connection, so the next send
     * starts on a new one. Not thread-safe.
     */
    private final class SmtpSession implements Session {

        private SmtpWire wire;
        private Set<String> extensions = Set.of();

        @Override
        public void send(String sender, List<String> recipients, MessageContent message) throws RelayException {
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException("no recipients");
            }
            for (String address : concat(sender, recipients)) {
                if (address.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '<' || c == '>')) {
                    throw new RelayException("not a valid envelope address: " + address.strip(), true, null);
                }
            }
            try {
                if (wire == null) {
                    takeIdle();
                }
                if (wire != null && !stillAlive()) {
                    log.debug("connection to next hop {} was closed; reopening it", describe());
                    drop();
                }
                if (wire == null) {
                    open();
                }
                transaction(wire, extensions, sender, recipients, message);
            } catch (IOException e) {
                drop();
                throw new RelayException(
                        "next hop " + describe() + " unreachable or failed: " + e.getMessage(), false, e);
            } catch (RelayException | RuntimeException e) {
                drop();
                throw e;
            }
        }

        @Override
        public void close() {
            if (wire != null) {
                if (!idle.keep(wire, extensions)) {
                    quit(wire);
                    closeQuietly(wire);
                }
                wire = null;
                extensions = Set.of();
            }
        }

        /** The most recently kept connection, if any (checked by RSET before use). */
        private void takeIdle() {
            IdleWires.Idle kept = idle.take();
            if (kept != null) {
                wire = kept.wire();
                extensions = kept.extensions();
            }
        }

        /** RSET on the open connection: false when the next hop has closed it or is closing it (421). */
        private boolean stillAlive() {
            try {
                return wire.command("RSET").code() == 250;
            } catch (IOException e) {
                return false;
            }
        }

        private void open() throws IOException, RelayException {
            wire = connect();
            SmtpReply greeting = wire.read();
            if (!greeting.isPositive()) {
                throw temporary("next hop greeted with " + greeting);
            }
            extensions = ehlo(wire);
            boolean secure = false;
            if (properties.starttls() != StartTls.OFF && extensions.contains("STARTTLS")) {
                SmtpReply reply = wire.command("STARTTLS");
                if (reply.code() != 220) {
                    throw temporary("next hop refused STARTTLS: " + reply);
                }
                wire = new SmtpWire(upgrade(wire));
                secure = true;
                extensions = ehlo(wire);
            } else if (properties.starttls() == StartTls.REQUIRED) {
                throw temporary("next hop does not offer STARTTLS, and todoke.relay.starttls is required");
            }
            if (!properties.username().isEmpty()) {
                authenticate(wire, extensions, secure);
            }
        }

        private void drop() {
            closeQuietly(wire);
            wire = null;
            extensions = Set.of();
        }
    }

    /** Ends every kept connection (QUIT); sessions still open keep theirs. For the application's shutdown. */
    @Override
    public void close() {
        idle.close();
    }

    /** STARTTLS's handshake; a failure (a certificate or host name that does not verify) is temporary. */
    private SSLSocket upgrade(SmtpWire wire) throws RelayException {
        try {
            return tls.upgrade(wire.socket(), properties.host(), properties.port());
        } catch (IOException e) {
            throw temporary("TLS with next hop " + describe() + " failed: " + e.getMessage()
                    + (tls.verifies()
                            ? " (its certificate chain and host name are checked: for a private CA set"
                                    + " todoke.relay.trust-store)"
                            : ""));
        }
    }

    private void transaction(
            SmtpWire wire, Set<String> extensions, String sender, List<String> recipients, MessageContent message)
            throws IOException, RelayException {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        if (extensions.contains("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (extensions.contains("SMTPUTF8")
                && (!isAscii(sender) || recipients.stream().anyMatch(r -> !isAscii(r)))) {
            mail.append(" SMTPUTF8");
        }
        boolean pipelining = extensions.contains("PIPELINING");
        SmtpReply reply;
        List<SmtpReply> rcpts = new ArrayList<>(recipients.size());
        SmtpReply data = null;
        if (pipelining) {
            // RFC 2920: the envelope and DATA in one write, then their replies in order. A failure below
            // throws, and the caller drops the connection: a transaction whose DATA got 354 is abandoned
            // without its final dot, so nothing is delivered to the recipients that were accepted.
            wire.send(mail.toString());
            for (String recipient : recipients) {
                wire.send("RCPT TO:<" + recipient + ">");
            }
            wire.send("DATA");
            wire.flush();
            reply = wire.read();
            for (int i = 0; i < recipients.size(); i++) {
                rcpts.add(wire.read());
            }
            data = wire.read();
        } else {
            reply = wire.command(mail.toString());
            if (reply.isPositive()) {
                for (String recipient : recipients) {
                    rcpts.add(wire.command("RCPT TO:<" + recipient + ">"));
                }
            }
        }
        if (!reply.isPositive()) {
            throw new RelayException("next hop refused MAIL FROM: " + reply, reply.isPermanentFailure(), null);
        }
        List<String> refused = new ArrayList<>();
        boolean anyTemporary = false;
        for (int i = 0; i < recipients.size(); i++) {
            SmtpReply rcpt = rcpts.get(i);
            if (!rcpt.isPositive()) {
                refused.add(recipients.get(i) + " (" + rcpt + ")");
                anyTemporary |= !rcpt.isPermanentFailure();
            }
        }
        if (!refused.isEmpty()) {
            if (!pipelining) {
                rset(wire);
            }
            throw new RelayException(
                    "next hop refused " + refused.size() + " of " + recipients.size() + " recipients: "
                            + String.join(", ", refused),
                    !anyTemporary,
                    null);
        }
        if (data == null) {
            data = wire.command("DATA");
        }
        if (data.code() != 354) {
            throw new RelayException("next hop refused DATA: " + data, data.isPermanentFailure(), null);
        }
        wire.setTimeout((int) properties.dataTimeout().toMillis());
        DotStuffingOutputStream body = new DotStuffingOutputStream(wire.out());
        try (InputStream in = message.open()) {
            in.transferTo(body);
        }
        body.finish();
        SmtpReply done = wire.read();
        wire.setTimeout((int) properties.commandTimeout().toMillis());
        if (!done.isPositive()) {
            throw new RelayException("next hop refused the message: " + done, done.isPermanentFailure(), null);
        }
        log.debug("next hop accepted message for {} recipients: {}", recipients.size(), done);
    }

    private void authenticate(SmtpWire wire, Set<String> extensions, boolean secure)
            throws IOException, RelayException {
        if (!secure && !properties.authWithoutTls()) {
            throw temporary("refusing to send AUTH credentials without TLS to " + describe()
                    + " (set todoke.relay.auth-without-tls=true to allow it)");
        }
        String user = properties.username();
        String password = properties.password();
        SmtpReply reply;
        if (extensions.contains("AUTH") && hasMechanism(extensions, "PLAIN")) {
            String token = base64("\0" + user + "\0" + password);
            reply = wire.command("AUTH PLAIN " + token);
        } else if (extensions.contains("AUTH") && hasMechanism(extensions, "LOGIN")) {
            reply = wire.command("AUTH LOGIN");
            if (reply.code() == 334) {
                reply = wire.command(base64(user));
            }
            if (reply.code() == 334) {
                reply = wire.command(base64(password));
            }
        } else {
            throw temporary("next hop offers neither AUTH PLAIN nor AUTH LOGIN, but todoke.relay.username is set");
        }
        if (reply.code() != 235) {
            // A wrong password is a configuration error on our side: keep the mail queued upstream.
            throw temporary("next hop refused AUTH for user " + user + ": " + reply);
        }
    }

    private static boolean hasMechanism(Set<String> extensions, String mechanism) {
        return extensions.stream()
                .filter(e -> e.startsWith("AUTH ") || e.startsWith("AUTH="))
                .anyMatch(e -> List.of(e.substring(5).split(" ")).contains(mechanism));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> concat(String sender, List<String> recipients) {
        List<String> all = new ArrayList<>(recipients);
        all.add(sender);
        return all;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static void rset(SmtpWire wire) {
        try {
            wire.command("RSET");
        } catch (IOException e) {
            log.debug("RSET failed", e);
        }
    }

    private static void quit(SmtpWire wire) {
        try {
            wire.command("QUIT");
        } catch (IOException e) {
            log.debug("QUIT failed after the session", e);
        }
    }

    private static void closeQuietly(SmtpWire wire) {
        if (wire != null) {
            try {
                wire.close();
            } catch (IOException e) {
                log.debug("close failed", e);
            }
        }
    }

    private SmtpWire connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(properties.host(), properties.port()), (int)
                    properties.connectTimeout().toMillis());
            socket.setSoTimeout((int) properties.commandTimeout().toMillis());
            return new SmtpWire(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Set<String> ehlo(SmtpWire wire) throws IOException, RelayException {
        SmtpReply reply = wire.command("EHLO " + ehloName);
        Set<String> extensions = new HashSet<>();
        if (reply.code() == 250) {
            for (String line : reply.lines().subList(1, reply.lines().size())) {
                extensions.add(line.toUpperCase(Locale.ROOT));
                extensions.add(line.split(" ", 2)[0].toUpperCase(Locale.ROOT));
            }
            return extensions;
        }
        SmtpReply helo = wire.command("HELO " + ehloName);
        if (helo.code() != 250) {
            throw temporary("next hop refused EHLO and HELO: " + helo);
        }
        return extensions;
    }

    private static RelayException temporary(String text) {
        return new RelayException(text, false, null);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
