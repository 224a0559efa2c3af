package dev.todoke.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * The line level of one client connection: sends command lines, reads (multi-line) replies with
 * {@link SmtpReply#read}. Not thread-safe; one per connection.
 */
final class SmtpWire implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SmtpWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    Socket socket() {
        return socket;
    }

    OutputStream out() {
        return out;
    }

    void setTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    SmtpReply command(String line) throws IOException {
        send(line);
        out.flush();
        return read();
    }

    /** Buffers a command line without sending it yet (PIPELINING): {@link #flush} sends what is buffered. */
    void send(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    SmtpReply read() throws IOException {
        return SmtpReply.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
