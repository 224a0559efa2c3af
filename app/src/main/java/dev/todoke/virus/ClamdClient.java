package dev.todoke.virus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of clamd's {@code INSTREAM} command over TCP (see clamd(8)): {@code zINSTREAM\0}, then the
 * content in chunks of at most 64 KiB, each after its length as 4 bytes big-endian, then a chunk of
 * length 0; clamd answers one line ended by {@code \0}: {@code stream: OK}, {@code stream: <signature>
 * FOUND}, {@code INSTREAM size limit exceeded. ERROR} or another {@code ... ERROR}. One connection per
 * scan; memory per scan is one chunk whatever the size of the content. Written by hand (ADR 0110).
 *
 * <p><b>Timeouts.</b> Connecting, each write of a chunk and waiting for the answer (which includes
 * clamd's scan of the whole content) may each take up to {@code timeout}; a write that blocks longer
 * (clamd stopped reading) closes the connection.
 *
 * <p><b>Limits.</b> clamd closes the connection when the stream passes its {@code StreamMaxLength};
 * the client looks for an early answer before every chunk and reads the answer after a failed write, so
 * that case is {@link ScanResult.Verdict#TOO_LARGE}, not a failure.
 *
 * <p>Thread-safe: no state but the address. Failure: reading {@code content} fails with its own {@link
 * IOException}; anything about clamd is {@link ClamdUnavailableException}.
 */
public final class ClamdClient {

    static final int CHUNK = 64 * 1024;
    private static final int MAX_REPLY = 4096;
    private static final int MAX_SIGNATURE = 200;
    private static final String LIMITS_HEURISTIC = "Heuristics.Limits.Exceeded";

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final String host;
    private final int port;
    private final int timeoutMillis;

    public ClamdClient(String host, int port, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    /** Where clamd is expected, for logs: {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Streams {@code content} to clamd and returns its verdict. Reads {@code content} to its end (unless
     * clamd answers early); does not close it.
     *
     * @throws IOException when {@code content} cannot be read
     * @throws ClamdUnavailableException when clamd cannot be reached, times out or answers an error
     */
    public ScanResult scan(InputStream content) throws IOException {
        try (Socket socket = connect()) {
            Connection connection = new Connection(socket);
            byte[] command = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);
            boolean sent = connection.write(command, command.length);
            byte[] buffer = new byte[4 + CHUNK];
            while (sent) {
                int n = content.readNBytes(buffer, 4, CHUNK);
                if (connection.answered()) {
                    break;
                }
                if (n == 0) {
                    sent = connection.write(new byte[4], 4);
                    break;
                }
                buffer[0] = (byte) (n >>> 24);
                buffer[1] = (byte) (n >>> 16);
                buffer[2] = (byte) (n >>> 8);
                buffer[3] = (byte) n;
                sent = connection.write(buffer, 4 + n);
            }
            return parse(connection.readReply());
        }
    }

    /**
     * Asks clamd {@code PING}.
     *
     * @throws ClamdUnavailableException unless clamd answers {@code PONG}
     */
    public void ping() {
        try (Socket socket = connect()) {
            Connection connection = new Connection(socket);
            connection.write("zPING\0".getBytes(StandardCharsets.US_ASCII), 6);
            String reply = connection.readReply();
            if (!"PONG".equals(reply)) {
                throw new ClamdUnavailableException(
                        "clamd at " + address() + " answered PING with: " + printable(reply));
            }
        } catch (IOException e) {
            throw new ClamdUnavailableException("clamd at " + address() + ": " + e, e);
        }
    }

    /** clamd's answer line (without its {@code \0}) as a verdict. */
    static ScanResult parse(String reply) {
        if (reply.endsWith("ERROR")) {
            if (reply.contains("size limit exceeded")) {
                return new ScanResult(ScanResult.Verdict.TOO_LARGE, "");
            }
            throw new ClamdUnavailableException("clamd answered an error: " + printable(reply));
        }
        int colon = reply.indexOf(": ");
        String body = colon < 0 ? reply : reply.substring(colon + 2);
        if (body.equals("OK")) {
            return ScanResult.clean();
        }
        if (body.endsWith(" FOUND")) {
            String signature = printable(body.substring(0, body.length() - " FOUND".length()));
            ScanResult.Verdict verdict =
                    signature.startsWith(LIMITS_HEURISTIC) ? ScanResult.Verdict.TOO_LARGE : ScanResult.Verdict.INFECTED;
            return new ScanResult(verdict, signature);
        }
        throw new ClamdUnavailableException("clamd's answer is not understood: " + printable(reply));
    }

    /** Printable ASCII only (anything else becomes {@code ?}), at most 200 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SIGNATURE));
        for (int i = 0; i < text.length() && out.length() < MAX_SIGNATURE; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x21 && c <= 0x7e ? c : c == ' ' ? ' ' : '?');
        }
        return out.toString().strip();
    }

    private Socket connect() {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ClamdUnavailableException("cannot connect to clamd at " + address() + ": " + e, e);
        }
    }

    /** One scan's connection: writes guarded by the watchdog, the answer read with the socket's timeout. */
    private final class Connection {

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private IOException writeFailure;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        /** Writes, or records why not and answers false (clamd may have answered and closed). */
        boolean write(byte[] bytes, int length) {
            ScheduledFuture<?> guard = WATCHDOG.schedule(
                    () -> {
                        timedOut.set(true);
                        closeQuietly(socket);
                    },
                    timeoutMillis,
                    TimeUnit.MILLISECONDS);
            try {
                out.write(bytes, 0, length);
                return true;
            } catch (IOException e) {
                writeFailure = e;
                return false;
            } finally {
                guard.cancel(false);
            }
        }

        /** Whether clamd has already said something (it answers early only to end the stream). */
        boolean answered() {
            try {
                return in.available() > 0;
            } catch (IOException e) {
                return false;
            }
        }

        /** The answer up to its {@code \0} (or the end of the connection), at most 4 KiB. */
        String readReply() {
            if (timedOut.get()) {
                throw timeout();
            }
            byte[] reply = new byte[MAX_REPLY];
            int length = 0;
            try {
                int b;
                while (length < MAX_REPLY && (b = in.read()) > 0) {
                    reply[length++] = (byte) b;
                }
            } catch (SocketTimeoutException e) {
                throw timeout();
            } catch (IOException e) {
                if (length == 0) {
                    throw timedOut.get() ? timeout() : dropped(e);
                }
            }
            if (length == 0) {
                throw dropped(writeFailure);
            }
            return new String(reply, 0, length, StandardCharsets.US_ASCII).strip();
        }

        private ClamdUnavailableException timeout() {
            return new ClamdUnavailableException(
                    "clamd at " + address() + " did not take data or answer within " + timeoutMillis + " ms");
        }

        private ClamdUnavailableException dropped(IOException cause) {
            return new ClamdUnavailableException(
                    "clamd at " + address() + " closed the connection without an answer"
                            + (cause == null ? "" : ": " + cause),
                    cause);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing to give up: nothing more to do
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("clamd-write-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
