package dev.todoke.relay;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SMTP reply (RFC 5321 section 4.2): its code and every line's text without the code, and the one
 * parser of replies for every SMTP client in Todoke (the relay and the TLS probe).
 *
 * @param code the three-digit code of the last line
 * @param lines the text of each line after {@code "250-"} or {@code "250 "}; at least one, maybe empty
 */
public record SmtpReply(int code, List<String> lines) {

    static final int MAX_LINE_BYTES = 4096;
    static final int MAX_LINES = 100;

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    /**
     * Reads one reply, multi-line ({@code 250-first}, ..., {@code 250 last}) or not, byte by byte: nothing
     * past the reply's last line is consumed, so the stream can be handed to TLS right after {@code 220}
     * to STARTTLS. Lines may end in CRLF or a bare LF. Not thread-safe for one stream.
     *
     * @throws EOFException when the stream ends before the reply does
     * @throws IOException when a line does not start with three digits, is longer than {@value
     *     #MAX_LINE_BYTES} bytes, or the reply has more than {@value #MAX_LINES} lines; and whatever the
     *     stream throws (a {@link java.net.SocketTimeoutException} for a silent server)
     */
    public static SmtpReply read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = readLine(in);
            if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
                throw new IOException("not an SMTP reply: " + printable(line));
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        throw new IOException("SMTP reply has more than " + MAX_LINES + " lines");
    }

    /** 2xx and 3xx. */
    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    /** 5xx: the server will not take it later either. */
    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The code and the first line's text, printable ASCII only, for reports: {@code 554 no thanks}. */
    public String firstLine() {
        return code + " " + printable(lines.getFirst());
    }

    /** The reply as one line, for messages and logs, e.g. {@code 550 5.1.1 no such user}. */
    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("SMTP reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 200 ? p.substring(0, 200) + "..." : p;
    }
}
