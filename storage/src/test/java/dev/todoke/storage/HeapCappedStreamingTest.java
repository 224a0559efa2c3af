package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB object streams through put and open of the encrypting store in a JVM whose heap is capped
 * at 64 MB: run in a child process started with {@code -Xmx64m} and the test classpath.
 */
class HeapCappedStreamingTest {

    static final long SIZE = 200_000_000L;

    @TempDir
    Path dir;

    @Test
    void putAndOpenWhen200MbAndHeapCappedAt64MbThenRoundTripSucceedsOnFilesystem() throws Exception {
        String output =
                runChild(List.of(Long.toString(SIZE), "fs", dir.resolve("blobs").toString()));

        assertRoundTrip(output);
    }

    @Test
    void putAndOpenWhen200MbAndHeapCappedAt64MbThenRoundTripSucceedsOnS3() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")))) {
            String output = runChild(List.of(Long.toString(SIZE), "s3", server.endpoint(), "heap-capped"));

            assertRoundTrip(output);
        }
    }

    private static void assertRoundTrip(String output) {
        assertThat(output).contains("ROUND-TRIP-OK").contains("stored=" + SIZE).contains("read=" + SIZE);
        Matcher max = Pattern.compile("maxMemory=(\\d+)").matcher(output);
        assertThat(max.find()).as(output).isTrue();
        assertThat(Long.parseLong(max.group(1))).isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    private String runChild(List<String> args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                HeapCappedRoundTrip.class.getName()));
        command.addAll(args);
        Path log = dir.resolve("child-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in 10 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
