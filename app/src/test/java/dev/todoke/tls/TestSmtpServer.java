package dev.todoke.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small real SMTP server on 127.0.0.1 for probe tests: with STARTTLS (given certificate), without it,
 * with a STARTTLS that breaks the handshake, or silent (accepts and never speaks). Receives no mail.
 */
final class TestSmtpServer implements AutoCloseable {

    enum Mode {
        STARTTLS,
        PLAIN,
        BROKEN_TLS,
        SILENT
    }

    private final ServerSocket server;
    private final Mode mode;
    private final SSLContext tls;
    private volatile long greetingDelayMillis;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    private TestSmtpServer(Mode mode, SSLContext tls) throws IOException {
        this(mode, tls, InetAddress.getLoopbackAddress(), 0);
    }

    private TestSmtpServer(Mode mode, SSLContext tls, InetAddress address, int port) throws IOException {
        this.mode = mode;
        this.tls = tls;
        this.server = new ServerSocket(port, 50, address);
        Thread.ofPlatform().daemon().name("test-smtp-" + mode).start(this::acceptLoop);
    }

    static TestSmtpServer starttls(SSLContext tls) throws IOException {
        return new TestSmtpServer(Mode.STARTTLS, tls);
    }

    static TestSmtpServer plain() throws IOException {
        return new TestSmtpServer(Mode.PLAIN, null);
    }

    /** A server without STARTTLS on another loopback address (e.g. 127.0.0.2) and a given port. */
    static TestSmtpServer plainOn(InetAddress address, int port) throws IOException {
        return new TestSmtpServer(Mode.PLAIN, null, address, port);
    }

    static TestSmtpServer brokenTls() throws IOException {
        return new TestSmtpServer(Mode.BROKEN_TLS, null);
    }

    static TestSmtpServer silent() throws IOException {
        return new TestSmtpServer(Mode.SILENT, null);
    }

    /** A server with STARTTLS that waits {@code delayMillis} before its greeting: a slow recipient server. */
    static TestSmtpServer slowStarttls(SSLContext tls, long delayMillis) throws IOException {
        TestSmtpServer server = new TestSmtpServer(Mode.STARTTLS, tls);
        server.greetingDelayMillis = delayMillis;
        return server;
    }

    /** A loopback port nothing listens on (bound once, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                if (mode != Mode.SILENT) {
                    Thread.ofVirtual().start(() -> serve(socket));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket socket = plain;
        try {
            BufferedReader in = reader(socket);
            if (greetingDelayMillis > 0) {
                Thread.sleep(greetingDelayMillis);
            }
            write(socket, "220 mx.test ESMTP test server");
            boolean secured = false;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> {
                        boolean offer = !secured && (mode == Mode.STARTTLS || mode == Mode.BROKEN_TLS);
                        write(
                                socket,
                                "250-mx.test greets you\r\n250-PIPELINING\r\n" + (offer ? "250-STARTTLS\r\n" : "")
                                        + "250 8BITMIME");
                    }
                    case "STAR" -> {
                        write(socket, "220 2.0.0 Ready to start TLS");
                        if (mode == Mode.BROKEN_TLS) {
                            socket.getOutputStream().write("this is not TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                            socket.close();
                            return;
                        }
                        SSLSocket ssl =
                                (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        socket = ssl;
                        in = reader(socket);
                        secured = true;
                    }
                    case "QUIT" -> {
                        write(socket, "221 2.0.0 Bye");
                        socket.close();
                        return;
                    }
                    default -> write(socket, "250 OK");
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void write(Socket socket, String reply) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
