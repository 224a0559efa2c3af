package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Throughput of the encrypted filesystem store against the ceilings of the same machine, measured in
 * the same run: the JDK's raw AES-256-GCM and a plain sequential file write (with fsync) and read.
 * The first measurement is the very first work this JVM does (cold); then the ceilings; then ours
 * again (warm, median of rounds). See docs/benchmarks.md for the command and the figures.
 *
 * <p>System properties: {@code todoke.bench.mib} (default 256), {@code todoke.bench.dir} (default a
 * temporary directory), {@code todoke.bench.segment} (bytes, default 65536), {@code
 * todoke.bench.rounds} (default 3), {@code todoke.bench.warmup-mib} (default 0: when set, runs {@link
 * EncryptingBlobStore#warmUp} first, as the application does at start-up).
 */
public final class StorageBenchmark {

    private static final int CHUNK = 64 * 1024;

    private final long size;
    private final Path dir;
    private final EncryptingBlobStore store;
    private final byte[] pattern = new byte[1024 * 1024];

    private StorageBenchmark(long size, Path dir, int segmentSize) {
        this.size = size;
        this.dir = dir;
        new SplittableRandom(7).nextBytes(pattern);
        this.store = new EncryptingBlobStore(
                new FileSystemBlobStore(dir.resolve("blobs"), new SecureRandom()),
                TestKeys.first(),
                new SecureRandom(),
                segmentSize);
    }

    public static void main(String[] args) throws Exception {
        long mib = Long.getLong("todoke.bench.mib", 256);
        int segment = Integer.getInteger("todoke.bench.segment", EncryptingBlobStore.DEFAULT_SEGMENT_SIZE);
        int rounds = Integer.getInteger("todoke.bench.rounds", 3);
        long warmUpMib = Long.getLong("todoke.bench.warmup-mib", 0);
        String configuredDir = System.getProperty("todoke.bench.dir");
        Path dir = configuredDir == null
                ? Files.createTempDirectory("todoke-bench")
                : Files.createDirectories(Path.of(configuredDir));
        StorageBenchmark bench = new StorageBenchmark(mib * 1024 * 1024, dir, segment);
        System.out.printf(
                Locale.ROOT,
                "Storage benchmark: %d MiB, segment %d bytes, Java %s (%s), %d CPUs, dir %s%n",
                mib,
                segment,
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(),
                dir);
        try {
            bench.run(rounds, warmUpMib);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(int rounds, long warmUpMib) throws Exception {
        if (warmUpMib > 0) {
            long t = System.nanoTime();
            store.warmUp(warmUpMib * 1024 * 1024);
            System.out.printf(
                    Locale.ROOT, "warm-up of %d MiB took %.0f ms%n", warmUpMib, (System.nanoTime() - t) / 1e6);
        }
        String label = warmUpMib > 0 ? "after warm-up" : "cold";
        // 1. cold: the first work of this JVM
        Put cold = storeOnce();
        double coldPut = mbps(cold.nanos());
        double coldGet = mbps(time(() -> drain(store.open(cold.key()))));
        store.delete(cold.key());

        // 2. ceilings, best of rounds
        double gcmEncrypt = best(rounds, this::rawGcmEncrypt);
        double gcmDecrypt = best(rounds, this::rawGcmDecrypt);
        double write = 0;
        double read = 0;
        for (int i = 0; i < rounds; i++) {
            Path file = dir.resolve("plain-" + i);
            write = Math.max(write, mbps(time(() -> plainWrite(file))));
            read = Math.max(read, mbps(time(() -> drain(Channels.newInputStream(FileChannel.open(file))))));
            Files.delete(file);
        }

        // 3. warm: ours again, median of rounds (after one more untimed round)
        Put untimed = storeOnce();
        drain(store.open(untimed.key()));
        store.delete(untimed.key());
        List<Double> puts = new ArrayList<>();
        List<Double> gets = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Put put = storeOnce();
            puts.add(mbps(put.nanos()));
            gets.add(mbps(time(() -> drain(store.open(put.key())))));
            store.delete(put.key());
        }
        double warmPut = median(puts);
        double warmGet = median(gets);

        double putCeiling = Math.min(gcmEncrypt, write);
        double getCeiling = Math.min(gcmDecrypt, read);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-44s %10s %8s%n", "measurement (MB/s = 10^6 bytes/s)", "MB/s", "ratio");
        row("ceiling: JDK AES-256-GCM encrypt, 64 KiB", gcmEncrypt, Double.NaN);
        row("ceiling: JDK AES-256-GCM decrypt, 64 KiB", gcmDecrypt, Double.NaN);
        row("ceiling: plain file write + fsync", write, Double.NaN);
        row("ceiling: plain file read", read, Double.NaN);
        row("encrypt-and-store, " + label, coldPut, coldPut / putCeiling);
        row("open-and-decrypt, " + label, coldGet, coldGet / getCeiling);
        row("encrypt-and-store, warm (median)", warmPut, warmPut / putCeiling);
        row("open-and-decrypt, warm (median)", warmGet, warmGet / getCeiling);
        System.out.printf(
                Locale.ROOT,
                "%nratios: encrypt-and-store / min(AES-GCM encrypt, write) = min(%.0f, %.0f); "
                        + "open-and-decrypt / min(AES-GCM decrypt, read) = min(%.0f, %.0f); target 0.70%n",
                gcmEncrypt,
                write,
                gcmDecrypt,
                read);
        System.out.printf(Locale.ROOT, "warm rounds (MB/s): put %s, open %s%n", rounded(puts), rounded(gets));
    }

    private static void row(String name, double mbps, double ratio) {
        System.out.printf(
                Locale.ROOT,
                "%-44s %10.0f %8s%n",
                name,
                mbps,
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio));
    }

    private interface Work {
        void run() throws Exception;
    }

    private interface KeyedWork {
        long run() throws Exception;
    }

    private record Put(String key, long nanos) {}

    private Put storeOnce() {
        long start = System.nanoTime();
        StoredBlob stored = store.put(new PatternStream(pattern, size));
        long elapsed = System.nanoTime() - start;
        if (stored.size() != size) {
            throw new IllegalStateException("stored " + stored.size() + " of " + size);
        }
        return new Put(stored.key(), elapsed);
    }

    private static long time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private double mbps(long nanos) {
        return size / 1e6 / (nanos / 1e9);
    }

    private double best(int rounds, KeyedWork work) throws Exception {
        double best = 0;
        for (int i = 0; i < rounds; i++) {
            best = Math.max(best, mbps(work.run()));
        }
        return best;
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        }
        if (total != size) {
            throw new IllegalStateException("read " + total + " of " + size);
        }
    }

    private long rawGcmEncrypt() throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(TestData.bytes(32, 1), "AES");
        byte[] iv = new byte[12];
        byte[] out = new byte[CHUNK + 16];
        long start = System.nanoTime();
        for (long done = 0, counter = 0; done < size; done += CHUNK, counter++) {
            ByteBuffer.wrap(iv).putLong(4, counter);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.doFinal(pattern, (int) (done % pattern.length), CHUNK, out, 0);
        }
        return System.nanoTime() - start;
    }

    private long rawGcmDecrypt() throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(TestData.bytes(32, 1), "AES");
        GCMParameterSpec iv = new GCMParameterSpec(128, new byte[12]);
        cipher.init(Cipher.ENCRYPT_MODE, key, iv);
        byte[] ciphertext = cipher.doFinal(pattern, 0, CHUNK);
        byte[] out = new byte[CHUNK];
        long start = System.nanoTime();
        for (long done = 0; done < size; done += CHUNK) {
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            cipher.doFinal(ciphertext, 0, ciphertext.length, out, 0);
        }
        return System.nanoTime() - start;
    }

    private void plainWrite(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[256 * 1024];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            InputStream in = new PatternStream(pattern, size);
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            }
            out.force(true);
        }
    }

    /** {@code size} bytes cycling through a random pattern: a source that costs next to nothing. */
    private static final class PatternStream extends InputStream {
        private final byte[] pattern;
        private long remaining;
        private int position;

        PatternStream(byte[] pattern, long size) {
            this.pattern = pattern;
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            int b = pattern[position] & 0xff;
            position = (position + 1) % pattern.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), pattern.length - position);
            System.arraycopy(pattern, position, b, off, n);
            position = (position + n) % pattern.length;
            remaining -= n;
            return n;
        }
    }
}
