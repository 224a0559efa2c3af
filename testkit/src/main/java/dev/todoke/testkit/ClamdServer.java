package dev.todoke.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private ClamAV daemon for one test class: Debian's {@code clamd} (package {@code clamav-daemon}),
 * started in the foreground with a configuration file and a signature database of its own in a
 * temporary directory, listening on a free loopback TCP port. The system's clamd service and freshclam
 * are never used: the database holds only the signatures written here, {@value #EICAR_SIGNATURE} for
 * the EICAR test string ({@link #eicar()}) and {@value #PAYLOAD_SIGNATURE} for the random {@link
 * #infectedPayload()} (an MD5 hash signature), plus any added with {@link #withHashSignature}.
 *
 * <p>Register it as a {@code static} field with {@code @RegisterExtension}: it starts once before the
 * class's tests (clamd loads in well under a second with this database) and stops after them. Where
 * {@code clamd} is not installed, the class is skipped, or fails under CI's {@value
 * Components#REQUIRE_ALL}. {@link #stop()} and {@link #start()} let a test take clamd away and bring it
 * back on the same port. clamd reports a signature from an unsigned database with the suffix {@code
 * .UNOFFICIAL}.
 */
public final class ClamdServer implements BeforeAllCallback, AfterAllCallback {

    /** The signature name clamd reports for the EICAR test string (without clamd's suffix). */
    public static final String EICAR_SIGNATURE = "Todoke.Test.EICAR";

    /** The signature name clamd reports for {@link #infectedPayload()} (without clamd's suffix). */
    public static final String PAYLOAD_SIGNATURE = "Todoke.Test.Payload";

    private static final String EICAR_TEXT = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> hashSignatures = new ArrayList<>();
    private Path dir;
    private Process process;
    private int port;

    public ClamdServer() {
        hashSignatures.add(hashSignature(PAYLOAD_SIGNATURE, infectedPayload()));
    }

    /** The EICAR anti-virus test file (68 ASCII bytes), matched by {@value #EICAR_SIGNATURE}. */
    public static byte[] eicar() {
        return EICAR_TEXT.getBytes(StandardCharsets.US_ASCII);
    }

    /** 10,000 fixed pseudo-random bytes, matched whole by {@value #PAYLOAD_SIGNATURE}. */
    public static byte[] infectedPayload() {
        byte[] bytes = new byte[10_000];
        new java.util.Random(13L).nextBytes(bytes);
        return bytes;
    }

    /** A clamd.conf setting, for example {@code StreamMaxLength 300M}; before the start. */
    public ClamdServer with(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /** One more MD5 hash signature that matches exactly {@code content}; before the start. */
    public ClamdServer withHashSignature(String name, byte[] content) {
        hashSignatures.add(hashSignature(name, content));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path binary = binary();
        Components.require(
                "ClamAV's clamd at " + binary,
                Files.isExecutable(binary),
                "apt-get install -y clamav-daemon (the tests start their own clamd; the system service is not used)");
        dir = Files.createTempDirectory("todoke-clamd-");
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        writeFiles();
        // a test JVM that dies without afterAll must not leave clamd running
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroyQuietly, "clamd-test-shutdown"));
        start();
    }

    private synchronized void destroyQuietly() {
        if (process != null) {
            process.destroy();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The loopback port clamd listens on (the same after {@link #stop()} and {@link #start()}). */
    public int port() {
        return port;
    }

    /** Starts clamd (again) and waits until it answers {@code PING}; at most 60 seconds. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(binary().toString(), "--config-file=" + dir.resolve("clamd.conf"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("clamd.out").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited with " + process.exitValue() + ": " + output());
            }
            if (pings()) {
                return;
            }
            Thread.sleep(50);
        }
        stop();
        throw new IllegalStateException("clamd did not answer PING within 60 s: " + output());
    }

    /** Stops clamd (SIGTERM, then kill after 10 s) and waits for it to exit; nothing listens on the port after. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** What clamd printed so far (its log), for assertion messages. */
    public String output() {
        try {
            Path out = dir.resolve("clamd.out");
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeFiles() throws IOException {
        Path db = Files.createDirectories(dir.resolve("db"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String eicarHex = HexFormat.of().formatHex(eicar());
        Files.writeString(db.resolve("todoke-test.ndb"), EICAR_SIGNATURE + ":0:*:" + eicarHex + "\n");
        Files.writeString(db.resolve("todoke-test.hdb"), String.join("\n", hashSignatures) + "\n");
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("Foreground", "yes");
        conf.put("DatabaseDirectory", db.toString());
        conf.put("TemporaryDirectory", tmp.toString());
        conf.put("TCPSocket", Integer.toString(port));
        conf.put("TCPAddr", "127.0.0.1");
        conf.put("LogTime", "yes");
        conf.put("AlertExceedsMax", "yes");
        conf.put("SelfCheck", "0");
        conf.putAll(settings);
        StringBuilder text = new StringBuilder();
        conf.forEach(
                (name, value) -> text.append(name).append(' ').append(value).append('\n'));
        Files.writeString(dir.resolve("clamd.conf"), text.toString());
    }

    private boolean pings() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(4);
            return "PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path binary() {
        return Path.of(System.getProperty("todoke.test.clamd", "/usr/sbin/clamd"));
    }

    private static String hashSignature(String name, byte[] content) {
        try {
            String md5 =
                    HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
            return md5 + ":" + content.length + ":" + name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
