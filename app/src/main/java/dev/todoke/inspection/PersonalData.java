package dev.todoke.inspection;

import dev.todoke.common.TempFiles;
import dev.todoke.inspection.TextFindings.Coverage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Personal and payment data in a mail's texts and files (DLP): My Numbers with a correct check digit,
 * card numbers (Luhn and a known issuer), and the administrator's patterns. A text body, a plain-text or
 * CSV file (charset sniffed) is read as a stream; the text of a PDF or Office file is extracted with
 * Apache Tika from a temporary copy (see {@link TikaText}). Reports counts and line numbers, never what
 * was found.
 *
 * <p><b>Bounds.</b> A file or body over {@link Limits#maxExtractBytes()} is not text-scanned ({@link
 * Coverage#TOO_LARGE}, with no findings: a text is read as a stream until it passes the limit, a PDF or
 * Office file is not given to the parser at all); at most {@link Limits#maxChars()} characters are looked at per text; each text
 * is looked at on a thread of a pool of {@link Limits#threads()} for at most {@link Limits#timeout()}:
 * then the thread is interrupted and abandoned (a parser that ignores the interrupt keeps its thread
 * until it ends; while all threads are taken, further texts are {@link Coverage#BUSY}).
 *
 * <p>Thread-safe. {@link #close()} stops the pool. Failure: only an {@link IOException} of the given
 * stream (the spool) is passed on; a file the parser cannot read is {@link Coverage#UNREADABLE}.
 */
public final class PersonalData implements AutoCloseable {

    /**
     * @param maxExtractBytes files larger than this are not text-scanned (a text is read up to it)
     * @param maxChars characters looked at per text, at most
     * @param timeout how long one text is looked at, at most
     * @param threads how many texts are looked at at the same time, at most
     */
    public record Limits(long maxExtractBytes, long maxChars, Duration timeout, int threads) {
        public Limits {
            if (maxExtractBytes <= 0 || maxChars <= 0 || threads <= 0 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the limits must be positive");
            }
        }
    }

    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] CFB = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0};

    private final boolean myNumber;
    private final boolean cardNumber;
    private final Map<String, Pattern> rules;
    private final Limits limits;
    private final ThreadPoolExecutor pool;
    private volatile TikaText tika;

    /**
     * @param rules the administrator's patterns by rule name (a keyword is a pattern too)
     */
    public PersonalData(boolean myNumber, boolean cardNumber, Map<String, Pattern> rules, Limits limits) {
        this.myNumber = myNumber;
        this.cardNumber = cardNumber;
        this.rules = Map.copyOf(rules);
        this.limits = limits;
        this.pool = new ThreadPoolExecutor(
                limits.threads(),
                limits.threads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.threads() * 4),
                new DaemonThreads(),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Whether anything is looked for at all. */
    public boolean active() {
        return scanner().active();
    }

    /**
     * Scans a decoded text body in its charset; for HTML, the text between the tags.
     *
     * @throws IOException when the stream fails
     */
    public TextFindings scanBody(InputStream decoded, Charset charset, boolean html) throws IOException {
        return scanText(decoded, charset, html);
    }

    /**
     * Scans a decoded attachment: plain text and CSV as a stream; PDF and Office files (including
     * password-protected ones, which end as {@link Coverage#UNREADABLE}) through Tika; anything else is
     * {@link Coverage#NOT_TEXT}.
     *
     * @throws IOException when the stream fails
     */
    public TextFindings scanFile(InputStream decoded) throws IOException {
        BufferedInputStream in = new BufferedInputStream(decoded, TextSniffer.HEAD);
        in.mark(TextSniffer.HEAD);
        byte[] head = in.readNBytes(TextSniffer.HEAD);
        in.reset();
        if (startsWith(head, PDF) || startsWith(head, ZIP) || startsWith(head, CFB)) {
            return extractWithTika(in);
        }
        Charset charset = TextSniffer.charset(head, head.length);
        if (charset == null) {
            return TextFindings.none(Coverage.NOT_TEXT);
        }
        return scanText(in, charset, false);
    }

    private TextFindings scanText(InputStream in, Charset charset, boolean html) throws IOException {
        TextScanner scanner = scanner();
        return run(scanner, () -> {
            CountingInput counted = new CountingInput(in);
            HtmlText htmlText = html ? new HtmlText(scanner) : null;
            Reader reader = new InputStreamReader(counted, charset);
            char[] buffer = new char[8192];
            long chars = 0;
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return Coverage.TIMED_OUT;
                }
                int allowed = (int) Math.min(n, limits.maxChars() - chars);
                if (htmlText != null) {
                    htmlText.accept(buffer, 0, allowed);
                } else {
                    scanner.accept(buffer, 0, allowed);
                }
                chars += allowed;
                if (counted.count > limits.maxExtractBytes()) {
                    scanner.end();
                    return Coverage.TOO_LARGE;
                }
                if (allowed < n) {
                    scanner.end();
                    return Coverage.TRUNCATED;
                }
            }
            scanner.end();
            return Coverage.COMPLETE;
        });
    }

    private TextFindings extractWithTika(InputStream in) throws IOException {
        Path copy = Files.createTempFile("todoke-extract-", ".bin");
        try {
            if (!copyAtMost(in, copy, limits.maxExtractBytes())) {
                return TextFindings.none(Coverage.TOO_LARGE);
            }
            TextScanner scanner = scanner();
            return run(scanner, () -> switch (tika().extract(copy, scanner)) {
                case COMPLETE -> Coverage.COMPLETE;
                case TRUNCATED -> Coverage.TRUNCATED;
                case INTERRUPTED -> Coverage.TIMED_OUT;
                case UNREADABLE -> Coverage.UNREADABLE;
            });
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Runs one look on the pool, bounded in time; on timeout interrupts it and keeps what was found. */
    private TextFindings run(TextScanner scanner, Callable<Coverage> look) throws IOException {
        Future<Coverage> future;
        try {
            future = pool.submit(look);
        } catch (RejectedExecutionException e) {
            return TextFindings.none(Coverage.BUSY);
        }
        Coverage coverage;
        try {
            coverage = future.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            coverage = Coverage.TIMED_OUT;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while scanning for personal data");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TextScanner.ScanInterruptedException) {
                coverage = Coverage.TIMED_OUT;
            } else if (e.getCause() instanceof IOException io) {
                throw io;
            } else {
                coverage = Coverage.UNREADABLE;
            }
        }
        if (coverage == Coverage.TOO_LARGE) {
            return TextFindings.none(coverage); // over the limit means not text-scanned, also for text
        }
        return new TextFindings(scanner.hits(), coverage);
    }

    private TextScanner scanner() {
        return new TextScanner(myNumber, cardNumber, rules);
    }

    private TikaText tika() {
        TikaText t = tika;
        if (t == null) {
            synchronized (this) {
                if (tika == null) {
                    tika = new TikaText(limits.maxChars());
                }
                t = tika;
            }
        }
        return t;
    }

    /** Copies at most {@code max} bytes; false (copy incomplete) when the stream holds more. */
    private static boolean copyAtMost(InputStream in, Path to, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = TempFiles.openForWriting(to)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > max) {
                    return false;
                }
                out.write(buffer, 0, n);
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Counts the bytes read. Not thread-safe. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Daemon threads named {@code todoke-dlp-N}: an abandoned parse never keeps the JVM alive. */
    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "todoke-dlp-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
