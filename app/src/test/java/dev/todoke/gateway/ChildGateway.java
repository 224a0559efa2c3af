package dev.todoke.gateway;

import dev.todoke.TodokeApplication;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The application in a child JVM for the kill -9 tests: the main classes and the dependencies of the
 * test's classpath, H2 and the blob store in {@code dir/data}, SMTP on a given port, relaying to a
 * given port on the loopback. Each child's output goes to {@code dir/<name>.log}. {@link #close} kills
 * every child started.
 */
final class ChildGateway implements AutoCloseable {

    private final Path dir;
    private final List<Process> children = new ArrayList<>();

    ChildGateway(Path dir) {
        this.dir = dir;
    }

    /** Starts a child with these settings besides the common ones and waits until it listens for SMTP. */
    Process start(String name, int smtpPort, int relayPort, List<String> settings) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                TodokeApplication.class.getName(),
                "--todoke.data-dir=" + dir.resolve("data"),
                "--todoke.internal-domains=example.jp",
                "--todoke.smtp.port=" + smtpPort,
                "--todoke.relay.host=127.0.0.1",
                "--todoke.relay.port=" + relayPort,
                "--todoke.mail.envelope-from=todoke@example.jp",
                "--todoke.storage.warm-up=0",
                "--management.server.port=0"));
        command.addAll(settings);
        if (settings.stream().noneMatch(s -> s.startsWith("--server.port="))) {
            command.add("--server.port=0");
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        children.add(process);
        awaitPort(smtpPort, process, name);
        return process;
    }

    /** Kills a child with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for it to end. */
    static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not end after SIGKILL");
        }
    }

    /** What a child wrote, for assertion messages. */
    String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void awaitPort(int port, Process process, String name) throws Exception {
        Instant end = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new AssertionError("the child exited: " + log(name));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(300);
            }
        }
        throw new AssertionError("the child did not listen in 3 minutes: " + log(name));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
