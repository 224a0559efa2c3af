package dev.todoke.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A plain SMTP client for tests and the benchmark: sends raw message bytes exactly as given (bare LF
 * made CRLF, dot-stuffed, as any MTA does) and reports the server's reply codes. Not thread-safe; one
 * per connection.
 */
final class SmtpClient implements AutoCloseable {

    /** An SMTP reply: its code and its text (all lines joined). */
    record Reply(int code, String text) {
        boolean ok() {
            return code >= 200 && code < 400;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SmtpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(300_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        expect(read(), 220);
        command("EHLO test.client.example");
    }

    /**
     * One transaction: MAIL FROM, RCPT TO each, DATA with the message. Returns the first reply that was
     * not a success, or the reply to the end of DATA.
     */
    Reply send(String from, List<String> recipients, InputStream message) throws IOException {
        Reply reply = startData(from, recipients);
        if (reply.code() != 354) {
            return reply;
        }
        writeData(message);
        out.flush();
        return read();
    }

    /**
     * Like {@link #send(String, List, InputStream)} for a message that is already in wire form: CRLF
     * line ends, ending with CRLF, no line starting with a dot. Written in one go (the benchmark), after
     * {@code firstHeaderLine} (a complete header field with CRLF that makes each message unique).
     */
    Reply sendPrepared(String from, List<String> recipients, byte[] firstHeaderLine, byte[] wireMessage)
            throws IOException {
        Reply reply = startData(from, recipients);
        if (reply.code() != 354) {
            return reply;
        }
        out.write(firstHeaderLine);
        out.write(wireMessage);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    /** MAIL FROM, RCPT TO each, DATA: the first reply that was not a success, or the reply to DATA. */
    private Reply startData(String from, List<String> recipients) throws IOException {
        Reply reply = command("MAIL FROM:<" + from + ">");
        if (!reply.ok()) {
            return reply;
        }
        for (String recipient : recipients) {
            reply = command("RCPT TO:<" + recipient + ">");
            if (!reply.ok()) {
                command("RSET");
                return reply;
            }
        }
        return command("DATA");
    }

    Reply send(String from, List<String> recipients, byte[] message) throws IOException {
        return send(from, recipients, new java.io.ByteArrayInputStream(message));
    }

    private void writeData(InputStream message) throws IOException {
        InputStream source = new BufferedInputStream(message, 64 * 1024);
        boolean lineStart = true;
        int previous = -1;
        int b;
        while ((b = source.read()) >= 0) {
            if (b == '\n' && previous != '\r') {
                out.write('\r');
            }
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
            previous = b;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (b < 0 && line.isEmpty()) {
                throw new IOException("connection closed by the server");
            }
            if (line.length() < 3) {
                throw new IOException("not an SMTP reply: " + line);
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    private static void expect(Reply reply, int code) throws IOException {
        if (reply.code() != code) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException e) {
            // the server may have closed already
        } finally {
            socket.close();
        }
    }
}
