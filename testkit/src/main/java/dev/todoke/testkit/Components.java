package dev.todoke.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Real components that tests need (PostgreSQL, a browser, a container engine, the shared samples).
 *
 * <p>A test asks for a component with {@link #require(String, boolean, String)}. Where the component
 * is missing, the test is skipped with a clear message, unless the system property {@value
 * #REQUIRE_ALL} is {@code true} (CI sets it): then the test fails, so that CI never passes by
 * skipping.
 */
public final class Components {

    /** System property that turns "component missing, skipped" into a failure. */
    public static final String REQUIRE_ALL = "todoke.test.require-components";

    private Components() {}

    /** True when CI demands every component. */
    public static boolean allRequired() {
        return Boolean.getBoolean(REQUIRE_ALL);
    }

    /**
     * Skips (or, under CI, fails) the calling test when {@code available} is false.
     *
     * @param component what is missing, for the message
     * @param available whether it is there
     * @param hint how to make it available
     */
    public static void require(String component, boolean available, String hint) {
        if (available) {
            return;
        }
        String message = component + " is not available: " + hint;
        if (allRequired()) {
            throw new AssertionError(message + " (" + REQUIRE_ALL + "=true, so this fails instead of skipping)");
        }
        Assumptions.abort(message);
    }

    /** True when something accepts TCP connections on host:port within a short time. */
    public static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The PostgreSQL server of these machines: 127.0.0.1:5432, database test, trust authentication. */
    public static String requirePostgres() {
        String url = System.getProperty("todoke.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
        require(
                "PostgreSQL on 127.0.0.1:5432",
                listening("127.0.0.1", 5432),
                "start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)");
        return url;
    }

    /**
     * A container engine (Docker) for Testcontainers. These machines and CI have none by design, so its
     * absence always skips, even under {@value #REQUIRE_ALL}; the same test also runs against an
     * in-process server that CI does require.
     */
    public static void requireContainerEngine(boolean available) {
        Assumptions.assumeTrue(
                available,
                "no container engine here: the Testcontainers variant is skipped (the in-process variant runs)");
    }

    /** Debian's chromium, for browser tests. */
    public static Path requireChromium() {
        Path chromium = Path.of(System.getProperty("todoke.test.chromium", "/usr/bin/chromium"));
        require("Chromium at " + chromium, Files.isExecutable(chromium), "apt-get install -y chromium");
        return chromium;
    }

    /**
     * The folder ../shared beside the checkout (real MIME samples and notes). It is absent in a clone
     * elsewhere; CI always has it.
     */
    public static Path requireShared() {
        Optional<Path> shared = sharedDir();
        require(
                "the shared folder (../shared beside the checkout)",
                shared.isPresent(),
                "tests that read real samples run only where ../shared exists");
        return shared.orElseThrow();
    }

    /** The shared folder, when present. */
    public static Optional<Path> sharedDir() {
        String configured = System.getProperty("todoke.shared-dir");
        if (configured == null) {
            return Optional.empty();
        }
        Path dir = Path.of(configured).normalize();
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
}
