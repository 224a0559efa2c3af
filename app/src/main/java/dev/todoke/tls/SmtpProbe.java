package dev.todoke.tls;

import dev.todoke.relay.SmtpReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Probes one MX host: connect, greeting, EHLO, STARTTLS, a handshake that accepts any certificate, then
 * the certificate checked on its own, and QUIT. Every connect and read is bounded by the per-step
 * timeouts and by the check's deadline, so a server that accepts and never speaks costs at most one read
 * timeout. Sends no mail. Thread-safe (one connection per call).
 */
final class SmtpProbe {

    /**
     * The result of one probe.
     *
     * @param host the report on the host
     * @param chain the certificate chain the server presented; empty without TLS
     */
    record Result(TlsReport.MxHost host, X509Certificate[] chain) {}

    private final String ehloName;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLSocketFactory permissiveTls;
    private final CertificateChecks certificates;

    SmtpProbe(
            String ehloName,
            Duration connectTimeout,
            Duration readTimeout,
            SSLSocketFactory permissiveTls,
            CertificateChecks certificates) {
        this.ehloName = ehloName;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.permissiveTls = permissiveTls;
        this.certificates = certificates;
    }

    Result probe(String host, int preference, List<InetSocketAddress> addresses, long deadlineNanos) {
        if (addresses.isEmpty()) {
            return failed(host, preference, "the host has no address");
        }
        Socket socket = null;
        String connectError = null;
        for (InetSocketAddress address : addresses) {
            Socket s = new Socket();
            try {
                s.connect(address, timeoutMillis(connectTimeout, deadlineNanos));
                socket = s;
                break;
            } catch (IOException e) {
                closeQuietly(s);
                connectError = "connection to " + address.getAddress().getHostAddress() + " port " + address.getPort()
                        + " failed: " + describe(e);
            }
        }
        if (socket == null) {
            return failed(host, preference, connectError);
        }
        try (Socket plain = socket) {
            return converse(plain, host, preference, deadlineNanos);
        } catch (IOException e) {
            return failed(host, preference, "connection lost: " + describe(e));
        }
    }

    private Result converse(Socket socket, String host, int preference, long deadline) throws IOException {
        SmtpReply greeting;
        try {
            greeting = read(socket, deadline);
        } catch (SocketTimeoutException e) {
            return failed(host, preference, "no SMTP greeting within " + readTimeout.toSeconds() + " s");
        }
        if (greeting.code() != 220) {
            return failed(host, preference, "the server refused the connection: " + greeting.firstLine());
        }
        send(socket, "EHLO " + ehloName);
        SmtpReply ehlo = readOrFail(socket, deadline, "EHLO");
        if (ehlo.code() != 250) {
            quit(socket, deadline);
            return plain(host, preference, "EHLO refused: " + ehlo.firstLine());
        }
        boolean offered = ehlo.lines().stream().skip(1).anyMatch(l -> {
            String k = l.toUpperCase(Locale.ROOT).strip();
            return k.equals("STARTTLS") || k.startsWith("STARTTLS ");
        });
        if (!offered) {
            quit(socket, deadline);
            return plain(host, preference, "STARTTLS not offered");
        }
        send(socket, "STARTTLS");
        SmtpReply ready = readOrFail(socket, deadline, "STARTTLS");
        if (ready.code() != 220) {
            quit(socket, deadline);
            return plain(host, preference, "STARTTLS refused: " + ready.firstLine());
        }
        SSLSocket tls = (SSLSocket) permissiveTls.createSocket(socket, host, socket.getPort(), true);
        try {
            tls.setUseClientMode(true);
            if (!CertificateChecks.isIpLiteral(host)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(parameters);
            }
            tls.setSoTimeout(timeoutMillis(readTimeout, deadline));
            tls.startHandshake();
        } catch (IOException | IllegalArgumentException e) {
            return plain(host, preference, "STARTTLS offered but the TLS handshake failed: " + describe(e));
        }
        SSLSession session = tls.getSession();
        X509Certificate[] chain = x509(session.getPeerCertificates());
        String chainProblem = certificates.chainProblem(chain);
        boolean nameMatches = chain.length > 0 && CertificateChecks.nameMatches(chain[0], host);
        String error = chainProblem != null
                ? "certificate not trusted: " + chainProblem
                : nameMatches ? null : "certificate does not name " + host;
        try {
            quit(tls, deadline);
        } finally {
            closeQuietly(tls);
        }
        TlsReport.MxHost report = new TlsReport.MxHost(
                host,
                preference,
                true,
                true,
                session.getProtocol(),
                session.getCipherSuite(),
                chainProblem == null,
                nameMatches,
                error);
        return new Result(report, chain);
    }

    private static X509Certificate[] x509(Certificate[] certificates) {
        List<X509Certificate> list = new ArrayList<>();
        for (Certificate c : certificates) {
            if (c instanceof X509Certificate x) {
                list.add(x);
            }
        }
        return list.toArray(X509Certificate[]::new);
    }

    private SmtpReply readOrFail(Socket socket, long deadline, String step) throws IOException {
        try {
            return read(socket, deadline);
        } catch (SocketTimeoutException e) {
            throw new IOException("no reply to " + step + " within " + readTimeout.toSeconds() + " s", e);
        }
    }

    private void quit(Socket socket, long deadline) {
        try {
            send(socket, "QUIT");
            read(
                    socket,
                    Math.min(deadline, System.nanoTime() + Duration.ofSeconds(1).toNanos()));
        } catch (IOException e) {
            // the answer to QUIT does not matter
        }
    }

    private static void send(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; nothing is buffered past it, so STARTTLS can follow. */
    private SmtpReply read(Socket socket, long deadline) throws IOException {
        socket.setSoTimeout(timeoutMillis(readTimeout, deadline));
        return SmtpReply.read(socket.getInputStream());
    }

    private static int timeoutMillis(Duration step, long deadlineNanos) throws SocketTimeoutException {
        long remaining = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
        if (remaining <= 0) {
            throw new SocketTimeoutException("check time is up");
        }
        return (int) Math.max(1, Math.min(step.toMillis(), remaining));
    }

    private static Result failed(String host, int preference, String error) {
        return new Result(
                new TlsReport.MxHost(host, preference, false, false, null, null, null, null, error),
                new X509Certificate[0]);
    }

    private static Result plain(String host, int preference, String error) {
        return new Result(
                new TlsReport.MxHost(host, preference, true, false, null, null, null, null, error),
                new X509Certificate[0]);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
