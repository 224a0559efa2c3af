package dev.todoke.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Seeds for the Jazzer fuzz tests (docs/fuzzing.md).
 *
 * <p>The real MIME samples in {@code ../shared/mime-samples} are never copied into the project: they are
 * read where they are, when present. In regression mode (a plain {@code mvn test}) each fuzz test class
 * replays them through the same property check in an ordinary test. In fuzzing mode ({@code JAZZER_FUZZ=1})
 * {@link #plant} writes them, with the programmatic seeds, into the corpus directory Jazzer's JUnit
 * integration generates for the fuzz test ({@code <jazzer.internal.basedir>/.cifuzz-corpus/<class>/<method>},
 * which the build points into {@code target/}), so that fuzzing starts from real mail. With the system
 * property {@code todoke.fuzz.fresh-corpus=true} (the bounded run in {@code verify}) it first empties that
 * directory, so that the run starts from the same corpus every time.
 */
public final class FuzzSeeds {

    /** Largest sample planted as a seed: libFuzzer mutates small inputs far faster. */
    private static final long MAX_SEED_BYTES = 64 * 1024;

    private FuzzSeeds() {}

    /** True when Jazzer fuzzes (JAZZER_FUZZ set and not 0/false), false when it only replays seeds. */
    public static boolean fuzzing() {
        String value = System.getenv("JAZZER_FUZZ");
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /** The message files of ../shared/mime-samples (per its INDEX.tsv), or none when the folder is absent. */
    public static List<Path> sharedMimeSamples() {
        Optional<Path> shared = Components.sharedDir();
        if (shared.isEmpty()) {
            return List.of();
        }
        Path dir = shared.get().resolve("mime-samples");
        Path index = dir.resolve("INDEX.tsv");
        if (!Files.isRegularFile(index)) {
            return List.of();
        }
        List<Path> result = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(index)) {
                String path = line.split("\t")[0];
                if (!path.equals("path") && !path.isBlank() && Files.isRegularFile(dir.resolve(path))) {
                    result.add(dir.resolve(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /**
     * In fuzzing mode, writes {@code seeds} (and the shared samples of at most 64 KiB, when {@code
     * withSharedSamples}) into the generated corpus directory of {@code testClass#method}; in regression
     * mode does nothing. Returns how many seeds are in the directory afterwards (0 in regression mode).
     */
    public static int plant(Class<?> testClass, String method, List<byte[]> seeds, boolean withSharedSamples) {
        if (!fuzzing()) {
            return 0;
        }
        Path dir = Path.of(System.getProperty("jazzer.internal.basedir", ""))
                .toAbsolutePath()
                .resolve(".cifuzz-corpus")
                .resolve(testClass.getName())
                .resolve(method);
        try {
            Files.createDirectories(dir);
            if (Boolean.getBoolean("todoke.fuzz.fresh-corpus")) {
                clear(dir);
            }
            for (byte[] seed : seeds) {
                write(dir, seed);
            }
            if (withSharedSamples) {
                for (Path sample : sharedMimeSamples()) {
                    if (Files.size(sample) <= MAX_SEED_BYTES) {
                        write(dir, Files.readAllBytes(sample));
                    }
                }
            }
            try (var files = Files.list(dir)) {
                return (int) files.count();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes what an earlier run left in the corpus: a bounded run then starts from the seeds alone. */
    private static void clear(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void write(Path dir, byte[] seed) throws IOException {
        Path file = dir.resolve("seed-" + sha1(seed));
        if (!Files.exists(file)) {
            Files.write(file, seed);
        }
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
