package dev.todoke.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.testkit.Components;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image without a container engine (none can pull a base image here): builds the
 * image's runtime with {@code container/build-runtime.sh} (jlink, the module list of
 * {@code container/jdk-modules}), lays out the files the Dockerfile copies under a temporary folder
 * standing for the image's root, and starts the jar with the Dockerfile's {@code ENTRYPOINT} and
 * {@code ENV} (image paths mapped into that folder) until actuator health answers UP.
 *
 * <p>Not tested here: the base image, {@code RUN}, the user switch and the read-only root as the
 * engine enforces them (docs/production.md says so). Instead the test checks that the process writes
 * nothing outside the image's volumes.
 */
class ContainerEntrypointTest {

    private static final Path CONTAINER = Project.root().resolve("container");
    private static final Pattern IMAGE_PATH = Pattern.compile("(^|[=:])(/[^/=:\\s]+)(?=/|$|:)");
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    Path work;

    @Test
    void dockerfileWhenReadThenNonRootUserJlinkedJavaAndVolumesForDataAndTmp() throws IOException {
        DockerfileSpec image = DockerfileSpec.read(CONTAINER.resolve("Dockerfile"));

        assertThat(image.user()).matches("[1-9][0-9]*(:[1-9][0-9]*)?");
        assertThat(image.volumes()).containsExactlyInAnyOrder("/data", "/tmp");
        assertThat(image.env()).containsEntry("TODOKE_DATA_DIR", "/data");
        assertThat(image.copies()).containsValues("build/runtime", "build/todoke.jar");
        assertThat(image.command().getFirst()).isEqualTo(imagePathOf(image, "build/runtime") + "/bin/java");
        assertThat(image.command()).containsSubsequence("-jar", imagePathOf(image, "build/todoke.jar"));
        assertThat(image.command()).contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void entrypointWhenStartedOnTheLinkedRuntimeThenHealthIsUpAndOnlyVolumesAreWritten() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        Components.require(
                "jlink (a JDK 21+)", Files.isExecutable(jdk.resolve("bin/jlink")), "run the tests on a JDK, not a JRE");
        Components.require("bash", Files.isExecutable(Path.of("/bin/bash")), "the runtime script is a bash script");
        Path jar = Path.of(System.getProperty("todoke.app.jar", "../app/target/todoke-exec.jar"));
        Assumptions.assumeFalse(
                Files.isDirectory(jar), "the jar is made in the package phase: this test runs in ./mvnw verify");
        Components.require(
                "the executable jar " + jar, Files.isRegularFile(jar), "run ./mvnw verify (package builds it)");

        DockerfileSpec image = DockerfileSpec.read(CONTAINER.resolve("Dockerfile"));
        Path context = work.resolve("context");
        run(
                List.of(
                        "/bin/bash",
                        CONTAINER.resolve("build-runtime.sh").toString(),
                        "--jar",
                        jar.toString(),
                        "--out",
                        context.resolve("build").toString()),
                jdk);
        Path root = work.resolve("root");
        install(image, context, root);
        Set<Path> imageFiles = files(root.resolve("opt"));

        int http = freePort();
        int smtp = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>(
                image.command().stream().map(a -> mapped(a, root)).toList());
        command.addAll(List.of(
                "--server.address=127.0.0.1",
                "--server.port=" + http,
                "--todoke.smtp.host=127.0.0.1",
                "--todoke.smtp.port=" + smtp,
                "--management.server.address=127.0.0.1",
                "--management.server.port=" + management,
                "--todoke.public-url=http://127.0.0.1:" + http,
                "--todoke.internal-domains=example.com",
                "--todoke.storage.warm-up=0"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.resolve(image.workdir().substring(1)).toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("todoke.log").toFile());
        builder.environment().clear();
        image.env().forEach((name, value) -> builder.environment().put(name, mapped(value, root)));

        Process todoke = builder.start();
        try {
            String health = awaitHealth(todoke, management);

            assertThat(health).contains("\"status\":\"UP\"");
            assertThat(get(management, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
        } finally {
            todoke.destroy();
            if (!todoke.waitFor(45, TimeUnit.SECONDS)) {
                todoke.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(root.resolve("data/db"))
                .as("TODOKE_DATA_DIR points into the /data volume")
                .isDirectory();
        assertThat(files(root.resolve("opt")))
                .as("nothing written outside the volumes (read-only root)")
                .isEqualTo(imageFiles);
        assertThat(Files.list(root).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("opt", "data", "tmp");
    }

    /** Puts what the Dockerfile copies, its volumes and its working directory under {@code root}. */
    private static void install(DockerfileSpec image, Path context, Path root) throws IOException {
        for (var copy : image.copies().entrySet()) {
            Path target = root.resolve(copy.getKey().substring(1));
            Files.createDirectories(target.getParent());
            Files.move(context.resolve(copy.getValue()), target);
        }
        for (String volume : image.volumes()) {
            Files.createDirectories(root.resolve(volume.substring(1)));
        }
        Files.createDirectories(root.resolve(image.workdir().substring(1)));
    }

    /** An argument or env value with every absolute image path moved under {@code root}. */
    private static String mapped(String value, Path root) {
        Matcher m = IMAGE_PATH.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + root + m.group(2)));
        }
        return m.appendTail(out).toString();
    }

    private static String imagePathOf(DockerfileSpec image, String contextPath) {
        return image.copies().entrySet().stream()
                .filter(e -> e.getValue().equals(contextPath))
                .map(java.util.Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private String awaitHealth(Process todoke, int port) throws Exception {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!todoke.isAlive()) {
                throw new AssertionError("Todoke exited with " + todoke.exitValue() + ":\n" + logTail());
            }
            try {
                return get(port, "/actuator/health");
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("no health answer within " + STARTUP + ":\n" + logTail());
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("todoke.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void run(List<String> command, Path jdk) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static Set<Path> files(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.map(dir::relativize).collect(Collectors.toSet());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
