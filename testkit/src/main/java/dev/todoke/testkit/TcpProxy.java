package dev.todoke.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a loopback port for outage tests: put it between the application and a real
 * server (PostgreSQL, S3, the next hop) and cut that server off without stopping it.
 *
 * <ul>
 *   <li>{@link #cut()}: closes every open connection and refuses new ones (the server is down);
 *   <li>{@link #stall()}: accepts connections but forwards nothing in either direction (the server
 *       hangs: the client's timeouts must fire); open connections are closed;
 *   <li>{@link #restore()}: forwards again.
 * </ul>
 *
 * The listening port stays the same throughout, so the application needs no new configuration.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD,
        CUT,
        STALL
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    /** Starts forwarding a free loopback port to {@code host:port}. */
    public TcpProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The server is down: open connections are reset, new ones closed at once. */
    public void cut() {
        mode = Mode.CUT;
        closeOpen();
    }

    /** The server hangs: new connections are accepted and get no byte; open connections are closed. */
    public void stall() {
        mode = Mode.STALL;
        closeOpen();
    }

    /** Forwards again. */
    public void restore() {
        mode = Mode.FORWARD;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            switch (mode) {
                case CUT -> close(client);
                case STALL -> {
                    // held open, nothing forwarded, until the next cut/stall/close
                }
                case FORWARD -> forward(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            close(client);
            close(upstream);
            return;
        }
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (mode != Mode.FORWARD) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            close(from);
            close(to);
        }
    }

    private void closeOpen() {
        for (Socket s : open) {
            close(s);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeOpen();
    }
}
