package dev.todoke.gateway;

import dev.todoke.TodokeApplication;
import dev.todoke.gateway.SmtpClient.Reply;
import dev.todoke.smtp.SmtpListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The gateway benchmark (docs/benchmarks.md, section "Gateway"). Starts Todoke on its embedded defaults
 * (H2, encrypted filesystem store) with a discarding SMTP server as next hop, then drives the listener
 * over SMTP with N concurrent clients. Prints messages/s, MB/s and p50/p99 acceptance latency for one
 * attachment of 100 KB, 1 MB and 10 MB to 1 and 5 external recipients, the same traffic to internal
 * recipients (passed through unchanged) and the ratio; peak heap; and one 64 MB base64 attachment from
 * DATA to durable storage against the serial ceiling (base64 decode + SHA-256 + AES-GCM + file write)
 * measured in the same run.
 *
 * <p>System properties: {@code clients} (default 4), {@code scale} (multiplies message counts, default
 * 1.0), {@code dir} (working directory, default a temporary one), {@code sizes} (which rows, e.g. {@code
 * 100KB,1MB}; default all three), {@code big} ({@code false} skips the 64 MB measurement).
 */
public final class GatewayBenchmark {

    private static final String SENDER = "sender@example.jp";
    private static final AtomicLong RUN = new AtomicLong();
    private static final int MB = 1024 * 1024;

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("clients", 4);
        double scale = Double.parseDouble(System.getProperty("scale", "1.0"));
        Path dir = System.getProperty("dir") == null
                ? Files.createTempDirectory("todoke-bench")
                : Files.createDirectories(Path.of(System.getProperty("dir")));

        AtomicLong sinkBytes = new AtomicLong();
        SMTPServer sink = SMTPServer.port(0)
                .insertReceivedHeaders(false)
                .bindAddress(java.net.InetAddress.getLoopbackAddress())
                .simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        sinkBytes.addAndGet(data.transferTo(OutputStreamSink.INSTANCE));
                    }
                })
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        sink.start();

        // command-line arguments, not default properties: application.yml's own values (data-dir ./data, SMTP
        // port 10025) take precedence over those, and every run used to share ./data with the last one
        ConfigurableApplicationContext app = new SpringApplicationBuilder(TodokeApplication.class)
                .run(
                        "--todoke.data-dir=" + dir.resolve("data"),
                        "--todoke.smtp.port=0",
                        "--server.port=0",
                        "--todoke.relay.host=127.0.0.1",
                        "--todoke.relay.port=" + sink.getPortAllocated(),
                        "--todoke.relay.starttls=off",
                        "--todoke.smtp.max-message-size=200MB",
                        "--todoke.internal-domains=example.jp",
                        "--logging.level.root=WARN",
                        "--logging.level.todoke.audit=WARN");
        try {
            int port = app.getBean(SmtpListener.class).port();
            System.out.printf(
                    Locale.ROOT,
                    "Todoke gateway benchmark: %d clients, %d cores, JDK %s, max heap %d MB%n%n",
                    clients,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() / MB);

            // warm-up, not measured: the JIT compiles the mail path for some thousand mails (docs/benchmarks.md,
            // "Behind a real Postfix", which warms up with 3,000 too); with 400 the 1 MB rows still measured
            // the compiler (AES-GCM's GHASH in Java, not yet the intrinsic) and the external row half as fast
            int warmup = Integer.getInteger("warmup", 3000);
            byte[] small = message(100 * 1024, 1, 1);
            for (int round = 0; round < 4; round++) {
                run(port, clients, small, internals(1), Math.max(1, warmup / 8));
                run(port, clients, small, externals(1), Math.max(1, warmup / 8));
            }
            run(port, clients, message(1 * MB, 1, 1), externals(1), (int) Math.max(8, 20 * scale));

            System.out.printf(
                    Locale.ROOT,
                    "%-8s %-12s %7s %9s %8s %9s %9s %8s %7s %11s%n",
                    "size",
                    "recipients",
                    "msgs",
                    "msgs/s",
                    "MB/s",
                    "p50 ms",
                    "p99 ms",
                    "heap MB",
                    "ratio",
                    "cpu ms/msg");
            int[][] plan = {{100 * 1024, 200}, {MB, 60}, {10 * MB, 10}};
            List<String> sizes = List.of(System.getProperty("sizes", "100KB,1MB,10MB")
                    .toUpperCase(Locale.ROOT)
                    .split(","));
            for (int[] sizeAndCount : plan) {
                int size = sizeAndCount[0];
                if (!sizes.contains(label(size).replace(" ", ""))) {
                    continue;
                }
                int count = (int) Math.max(clients, sizeAndCount[1] * scale);
                for (int recipients : new int[] {1, 5}) {
                    byte[] mail = message(size, recipients, size + recipients);
                    Result internal = run(port, clients, mail, internals(recipients), count);
                    Result external = run(port, clients, mail, externals(recipients), count);
                    print(size, recipients + " internal", internal, Double.NaN);
                    print(
                            size,
                            recipients + " external",
                            external,
                            external.messagesPerSecond() / internal.messagesPerSecond());
                }
            }
            System.out.printf(
                    Locale.ROOT, "%npeak heap used (whole JVM, clients included): %d MB%n", peakHeapOfRun / MB);
            if (!Boolean.parseBoolean(System.getProperty("big", "true"))) {
                return;
            }

            // one 64 MB attachment, DATA to durable, against the serial ceiling of the same bytes
            int big = 64 * MB;
            byte[] bigMail = message(big, 1, 64);
            byte[] bigBase64 = base64Lines(randomBytes(big, 64));
            // in turns, so that a machine that slows down or speeds up during the run moves both alike
            List<Double> ceilings = new ArrayList<>();
            List<Double> gateway = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            // warm-up of the large-mail path, as the rows above have theirs: without it the turns measured
            // the JIT compiling the write-behind, the early store and the ceiling's loop (a third of the CPU);
            // after 2 or 4 such mails the turns still spent 640-1,060 ms of CPU each, after 12 480-880
            for (int i = 0; i < Integer.getInteger("bigWarmup", 12); i++) {
                serialCeiling(bigBase64, dir.resolve("ceiling.bin"), big);
                run(port, 1, bigMail, externals(1), 1);
            }
            profiler(System.getProperty("profileStart", "start,event=cpu,interval=1ms,threads"));
            for (int i = 0; i < Integer.getInteger("bigTurns", 3); i++) {
                ceilings.add(serialCeiling(bigBase64, dir.resolve("ceiling.bin"), big));
                Result one = run(port, 1, bigMail, externals(1), 1);
                gateway.add(big / (double) MB / (one.latencies().get(0) / 1e9));
                cpu.add(one.cpuNanos() / 1_000_000);
            }
            profiler("stop,collapsed,file=" + System.getProperty("profile", ""));
            double ceiling = Collections.max(ceilings);
            System.out.printf(
                    Locale.ROOT,
                    "%n64 MB base64 attachment, DATA to durable (to 1 external): first %.0f MB/s, best %.0f MB/s%n",
                    gateway.get(0),
                    Collections.max(gateway));
            System.out.printf(
                    Locale.ROOT,
                    "serial ceiling (base64 decode + SHA-256 + AES-256-GCM + file write + fsync): %.0f MB/s%n",
                    ceiling);
            System.out.printf(
                    Locale.ROOT, "ratio (best / ceiling): %.2f (target 0.7)%n", Collections.max(gateway) / ceiling);
            List<String> turns = new ArrayList<>();
            for (int i = 0; i < gateway.size(); i++) {
                turns.add(String.format(
                        Locale.ROOT,
                        "%.0f / %.0f MB/s = %.2f (process CPU %d ms)",
                        gateway.get(i),
                        ceilings.get(i),
                        gateway.get(i) / ceilings.get(i),
                        cpu.get(i)));
            }
            System.out.printf(Locale.ROOT, "turns (gateway / ceiling): %s%n", String.join("; ", turns));
            System.out.printf(Locale.ROOT, "next hop received %d MB in total%n", sinkBytes.get() / MB);
        } finally {
            app.close();
            sink.stop();
        }
    }

    /**
     * One row's figures; {@code cpuNanos} is the CPU time of the whole JVM during the row (the gateway,
     * the clients and the discarding next hop), so a row's CPU per message minus the pass-through row's is
     * what the gateway's own work for the mail costs.
     */
    private record Result(
            int messages, long attachmentBytes, double seconds, List<Long> latencies, long peakHeap, long cpuNanos) {
        double messagesPerSecond() {
            return messages / seconds;
        }

        double megabytesPerSecond() {
            return attachmentBytes / (double) MB / seconds;
        }

        double percentileMillis(double p) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            int index = (int) Math.ceil(p * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
        }
    }

    private static String label(int size) {
        return size >= MB ? (size / MB) + " MB" : (size / 1024) + " KB";
    }

    private static void print(int size, String recipients, Result r, double ratio) {
        System.out.printf(
                Locale.ROOT,
                "%-8s %-12s %7d %9.1f %8.1f %9.1f %9.1f %8d %7s %11.1f%n",
                label(size),
                recipients,
                r.messages(),
                r.messagesPerSecond(),
                r.megabytesPerSecond(),
                r.percentileMillis(0.50),
                r.percentileMillis(0.99),
                r.peakHeap() / MB,
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio),
                r.cpuNanos() / 1e6 / r.messages());
    }

    /** Sends {@code count} copies of one message over {@code clients} connections at once. */
    private static Result run(int port, int clients, byte[] mail, List<String> recipients, int count) throws Exception {
        resetPeakHeap();
        AtomicLong next = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
                        long n;
                        while ((n = next.getAndIncrement()) < count) {
                            byte[] unique = ("X-Bench-Id: " + RUN.incrementAndGet() + "-" + n + "\r\n")
                                    .getBytes(StandardCharsets.US_ASCII);
                            long t0 = System.nanoTime();
                            Reply reply = client.sendPrepared(SENDER, recipients, unique, mail);
                            latencies.add(System.nanoTime() - t0);
                            if (reply.code() != 250) {
                                throw new IllegalStateException("not accepted: " + reply);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuStart;
        return new Result(count, (long) count * attachmentSize(mail), seconds, latencies, peakHeap(), cpu);
    }

    /**
     * With {@code -Dprofile=FILE} (and async-profiler's agent and its Java API on the JVM's paths, see
     * docs/benchmarks.md), runs an async-profiler command, so that a profile covers the 64 MB turns only
     * (the serial ceiling's turns included, on the main thread).
     */
    private static void profiler(String command) throws Exception {
        if (System.getProperty("profile") == null) {
            return;
        }
        Class<?> type = Class.forName("one.profiler.AsyncProfiler");
        Object profiler = type.getMethod("getInstance").invoke(null);
        type.getMethod("execute", String.class).invoke(profiler, command);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long attachmentSize(byte[] mail) {
        String head = new String(mail, 0, Math.min(mail.length, 2000), StandardCharsets.US_ASCII);
        int at = head.indexOf("X-Bench-Size: ");
        return Long.parseLong(head.substring(at + 14, head.indexOf('\r', at)));
    }

    private static List<String> externals(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("r" + i + "@partner" + i + ".example");
        }
        return list;
    }

    private static List<String> internals(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("r" + i + "@example.jp");
        }
        return list;
    }

    /** A mail in wire form with a short text body and one base64 attachment of {@code size} random bytes. */
    private static byte[] message(int size, int recipients, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size * 4 / 3 + size / 38 + 4096);
        String boundary = "bench-boundary-" + seed;
        String head = "From: Sender <" + SENDER + ">\r\n"
                + "To: " + String.join(", ", externals(recipients)) + "\r\n"
                + "Subject: benchmark " + size + "\r\n"
                + "Date: Mon, 23 Nov 2026 08:00:00 +0000\r\n"
                + "Message-ID: <bench." + seed + "." + System.nanoTime() + "@example.jp>\r\n"
                + "X-Bench-Size: " + size + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Please find the file attached.\r\n\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(base64Lines(randomBytes(size, seed)));
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] base64Lines(byte[] data) {
        return withFinalCrlf(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(data));
    }

    private static byte[] withFinalCrlf(byte[] encoded) {
        byte[] result = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, result, 0, encoded.length);
        result[encoded.length] = '\r';
        result[encoded.length + 1] = '\n';
        return result;
    }

    /**
     * The serial ceiling: decode the base64 text in 64 KiB chunks cut at line ends with the JDK's array
     * decoder, SHA-256 the result, encrypt it with AES-256-GCM in 64 KiB segments and write it to a file
     * with one fsync. In MB/s of decoded bytes.
     */
    private static double serialCeiling(byte[] base64, Path file, int decodedSize) throws Exception {
        SecretKey key = KeyGenerator.getInstance("AES").generateKey();
        SecureRandom random = new SecureRandom();
        long t0 = System.nanoTime();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            int chunk = 64 * 1024 / 78 * 78; // whole lines of 76 characters + CRLF
            byte[] decoded = new byte[chunk];
            byte[] encrypted = new byte[chunk + 16];
            for (int offset = 0; offset < base64.length; offset += chunk) {
                int length = Math.min(chunk, base64.length - offset);
                byte[] text = java.util.Arrays.copyOfRange(base64, offset, offset + length);
                int n = Base64.getMimeDecoder().decode(text, decoded);
                sha.update(decoded, 0, n);
                random.nextBytes(nonce);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                int m = cipher.doFinal(decoded, 0, n, encrypted, 0);
                channel.write(ByteBuffer.wrap(encrypted, 0, m));
            }
            channel.force(true);
        }
        sha.digest();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.deleteIfExists(file);
        return decodedSize / (double) MB / seconds;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapOfRun = 0;

    /** The sum of the heap pools' peaks since the last reset (an upper bound of the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        peakHeapOfRun = Math.max(peakHeapOfRun, sum);
        return sum;
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
