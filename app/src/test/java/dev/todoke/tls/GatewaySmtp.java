package dev.todoke.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A minimal SMTP client for the TLS tests that go through the gateway's listener. */
final class GatewaySmtp {

    private GatewaySmtp() {}

    /**
     * Sends {@code message} (CRLF lines, dot-stuffed here) from {@code from} to {@code recipients} on the
     * listener at {@code port}; returns the last line of the reply to the end of DATA.
     */
    static String send(int port, String from, List<String> recipients, byte[] message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.example.jp");
            command(out, in, "MAIL FROM:<" + from + ">");
            for (String r : recipients) {
                command(out, in, "RCPT TO:<" + r + ">");
            }
            command(out, in, "DATA");
            String text = new String(message, StandardCharsets.ISO_8859_1);
            for (String line : text.split("\r\n", -1)) {
                out.write(((line.startsWith(".") ? "." : "") + line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String result = reply(in);
            command(out, in, "QUIT");
            return result;
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        StringBuilder all = new StringBuilder();
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString().substring(all.lastIndexOf(line));
    }
}
