package dev.todoke.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.inspection.EncryptedFiles.ArchiveLimits;
import dev.todoke.inspection.EncryptedFiles.Limit;
import dev.todoke.inspection.EncryptedFiles.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zip bombs built in the test: a 1 GB stream of zeros deflated into about 1 MB, the same nested five
 * levels deep, and a wide archive of many moderately compressed entries. Each ends as a limit finding,
 * quickly and without memory that grows with what the archive expands to; the 1 GB bomb also under a
 * 32 MB heap in a separate JVM.
 */
class ArchiveLimitsTest {

    private static final long GIGABYTE = 1L << 30;

    private static byte[] gigabyteBomb;

    @TempDir
    Path work;

    /** The 1 GB bomb, built once (deflating a gigabyte takes seconds). */
    static synchronized byte[] gigabyteBomb() {
        if (gigabyteBomb == null) {
            gigabyteBomb = zerosZip(GIGABYTE);
        }
        return gigabyteBomb;
    }

    /** One entry of {@code size} zero bytes, deflated at the default level. */
    static byte[] zerosZip(long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] chunk = new byte[1 << 20];
            for (long written = 0; written < size; written += chunk.length) {
                zip.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code copies} entries, each holding {@code inner}. */
    static byte[] zipOf(byte[] inner, int copies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < copies; i++) {
                zip.putNextEntry(new ZipEntry("part" + i + ".zip"));
                zip.write(inner);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Verdict inspect(ArchiveLimits limits, byte[] file) throws IOException {
        return new EncryptedFiles(100L << 20, Duration.ofSeconds(30), limits).inspect(new ByteArrayInputStream(file));
    }

    @Test
    void inspectWhenOneGigabyteOfZerosThenRatioExceededQuickly() throws IOException {
        byte[] bomb = gigabyteBomb();
        assertThat(bomb.length).isLessThan(2 << 20);

        long start = System.nanoTime();
        Verdict verdict = inspect(ArchiveLimits.DEFAULT, bomb);

        assertThat(verdict.exceeded()).contains(Limit.RATIO);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void inspectWhenNestedFiveLevelsThenDepthExceeded() throws IOException {
        byte[] level = zerosZip(64 * 1024);
        for (int i = 0; i < 5; i++) {
            level = zipOf(level, 2);
        }

        assertThat(inspect(ArchiveLimits.DEFAULT, level).exceeded()).contains(Limit.DEPTH);
    }

    @Test
    void inspectWhenNestedWithinTheDepthThenNoFinding() throws IOException {
        byte[] level = zerosZip(1024);
        for (int i = 0; i < 3; i++) {
            level = zipOf(level, 2);
        }

        assertThat(inspect(ArchiveLimits.DEFAULT, level)).isEqualTo(new Verdict(Optional.empty(), Optional.empty()));
    }

    @Test
    void inspectWhenTotalExpandedSizeIsOverTheLimitThenExpandedSize() throws IOException {
        // 16 entries of 1 MB of random-looking text (ratio low), 16 MB in all; limit 8 MB
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(1);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            byte[] data = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                random.nextBytes(data);
                zip.putNextEntry(new ZipEntry("f" + i));
                zip.write(data);
                zip.closeEntry();
            }
        }

        assertThat(inspect(new ArchiveLimits(8 << 20, 100, 3), out.toByteArray())
                        .exceeded())
                .contains(Limit.EXPANDED_SIZE);
        assertThat(inspect(ArchiveLimits.DEFAULT, out.toByteArray()).exceeded()).isEmpty();
    }

    @Test
    void inspectWhenBombUnderA32MegabyteHeapThenRatioExceededAndNoOutOfMemory() throws Exception {
        Path bomb = work.resolve("bomb.zip");
        Files.write(bomb, gigabyteBomb());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-Xmx32m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SmallHeap.class.getName(),
                        bomb.toString())
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("exceeded=RATIO");
    }

    /** Inspects the file named by its argument and prints the verdict; run in a JVM with a small heap. */
    static final class SmallHeap {
        public static void main(String[] args) throws IOException {
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                Verdict verdict =
                        new EncryptedFiles(100L << 20, Duration.ofSeconds(30), ArchiveLimits.DEFAULT).inspect(in);
                System.out.println(
                        "exceeded=" + verdict.exceeded().map(Enum::name).orElse("none"));
            }
        }

        private SmallHeap() {}
    }
}
