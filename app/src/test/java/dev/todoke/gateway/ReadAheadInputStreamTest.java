package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadAheadInputStreamTest {

    private static final int B = ReadAheadInputStream.BUFFER_SIZE;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, B - 1, B, B + 1, 5 * 1024 * 1024})
    void readWhenReadsOfRandomLengthsThenBytesEqualTheSource(int size) throws Exception {
        byte[] data = TestMails.randomBytes(size, size);
        Random random = new Random(size + 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(new ChoppySource(data, random.nextLong()))) {
            while (true) {
                if (random.nextInt(8) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                    continue;
                }
                int length = 1 + random.nextInt(random.nextBoolean() ? 100 : 3 * B);
                int offset = random.nextInt(16);
                byte[] buffer = new byte[offset + length + random.nextInt(16)];
                int n = in.read(buffer, offset, length);
                if (n < 0) {
                    break;
                }
                assertThat(n).isBetween(1, length);
                out.write(buffer, offset, n);
            }
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, B - 1, B, B + 1, 5 * 1024 * 1024})
    void readWhenSingleBytesThenBytesEqualTheSource(int size) throws Exception {
        byte[] data = TestMails.randomBytes(size, size);
        byte[] read = new byte[size];
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data))) {
            for (int i = 0; i < size; i++) {
                int b = in.read();
                assertThat(b).isNotNegative();
                read[i] = (byte) b;
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(read).isEqualTo(data);
    }

    @Test
    void readWhenLengthZeroThenZeroAndNothingConsumed() throws Exception {
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(new byte[] {7}))) {
            assertThat(in.read(new byte[4], 2, 0)).isZero();
            assertThat(in.read()).isEqualTo(7);
            assertThat(in.read(new byte[4], 2, 0)).isZero();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void readWhenDigestAroundTheSourceThenDigestCompleteAtTheEnd() throws Exception {
        byte[] data = TestMails.randomBytes(3 * B + 123, 9);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new ReadAheadInputStream(new DigestInputStream(new ChoppySource(data, 3), sha256))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            // the end of data was taken from the queue: the producer's digest updates happened before
            assertThat(sha256.digest())
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void readWhenSourceThrowsIOExceptionHalfWayThenBytesBeforeItAndThenTheSameException() throws Exception {
        IOException failure = new IOException("disk gone");
        byte[] data = TestMails.randomBytes(200_000, 4);
        InputStream source = new FailingSource(data, failure);
        try (InputStream in = new ReadAheadInputStream(source)) {
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            assertThatThrownBy(in::read).isSameAs(failure);
            assertThatThrownBy(() -> in.read(new byte[10])).as("again").isSameAs(failure);
        }
    }

    @Test
    void readWhenSourceThrowsRuntimeExceptionThenReadThrowsIt() throws Exception {
        UncheckedIOException failure = new UncheckedIOException(new IOException("decoder broke"));
        try (InputStream in = new ReadAheadInputStream(new FailingSource(new byte[B + 10], failure))) {
            assertThatThrownBy(in::readAllBytes).isSameAs(failure);
        }
    }

    @Test
    void readWhenSourceThrowsErrorThenReadThrowsIt() throws Exception {
        AssertionError failure = new AssertionError("broken invariant");
        try (InputStream in = new ReadAheadInputStream(new FailingSource(new byte[0], failure))) {
            assertThatThrownBy(() -> in.read(new byte[10])).isSameAs(failure);
        }
    }

    @Test
    void readWhenConsumerDoesNotReadThenProducerStopsAtMostDepthBuffersAhead() throws Exception {
        CountingSource source = new CountingSource();
        long bound = (ReadAheadInputStream.DEPTH + 1L) * B;
        try (InputStream in = new ReadAheadInputStream(source)) {
            assertThat(in.read()).isNotNegative();
            assertSteadyAt(source, bound);

            in.readNBytes(B); // the rest of the first buffer and one byte of the second
            assertSteadyAt(source, bound + B);

            in.readNBytes(10 * B);
            assertSteadyAt(source, bound + 11 * B);
        }
        assertThat(source.closed).isTrue();
    }

    @Test
    void readWhenSmallBuffersAndDepthThenBoundScalesWithThem() throws Exception {
        CountingSource source = new CountingSource();
        try (InputStream in = new ReadAheadInputStream(source, 1000, 2)) {
            assertThat(in.readNBytes(1)).hasSize(1);
            assertSteadyAt(source, 3000);
        }
    }

    @Test
    void closeWhenHalfWayThenReturnsPromptlyAndSourceClosedAndNotReadAfter() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            CountingSource source = new CountingSource();
            InputStream in = new ReadAheadInputStream(source);
            in.readNBytes(3 * B + 17);

            in.close();

            assertThat(source.closed).isTrue();
            long readAtClose = source.read.get();
            Thread.sleep(100);
            assertThat(source.read.get()).isEqualTo(readAtClose);
            assertThat(source.readAfterClose).isFalse();
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("Stream closed");
            in.close(); // twice is fine
        });
    }

    @Test
    void closeWhenProducerStillReadingFastSourceThenSourceNeverReadAfterClose() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            for (int i = 0; i < 200; i++) {
                CountingSource source = new CountingSource();
                InputStream in = new ReadAheadInputStream(source, 512, 1);
                in.read();
                in.close();
                assertThat(source.readAfterClose).isFalse();
                assertThat(source.closed).isTrue();
            }
        });
    }

    @Test
    void closeWhenSourceBlocksInterruptiblyThenTheInterruptUnblocksIt() throws Exception {
        PipedInputStream pipe = new PipedInputStream();
        PipedOutputStream writer = new PipedOutputStream(pipe); // never written
        try (writer) {
            assertTimeoutPreemptively(PROMPTLY, () -> {
                InputStream in = new ReadAheadInputStream(pipe);
                Thread.sleep(50); // let the producer block in the pipe's read

                // Closing a pipe does not wake a reader waiting in it (its writer is alive): only the
                // interrupt can end that read, so close returns within the timeout only through it.
                in.close();

                assertThatThrownBy(pipe::read).hasMessage("Pipe closed");
            });
        }
    }

    @Test
    void closeWhenSourceIgnoresInterruptsThenClosingTheSourceAfterTheGraceUnblocksIt() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            DeafSource source = new DeafSource();
            InputStream in = new ReadAheadInputStream(source);
            source.reading.await();

            in.close();

            assertThat(source.closed.getCount()).isZero();
            assertThat(source.readAfterClose).isFalse();
        });
    }

    @Test
    void readWhenConsumerInterruptedThenInterruptedIoExceptionAndInterruptKept() throws Exception {
        DeafSource source = new DeafSource();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        try (InputStream in = new ReadAheadInputStream(source)) {
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    in.read();
                } catch (Throwable t) {
                    thrown.set(t);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            source.reading.await();
            Thread.sleep(20);
            consumer.interrupt();
            consumer.join(PROMPTLY);
            assertThat(consumer.isAlive()).isFalse();
        }
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(stillInterrupted).isTrue();
        assertThat(source.closed.getCount()).isZero();
    }

    @Test
    void readWhenConsumerInterruptedButBytesReadyThenReadsThemAndKeepsTheInterrupt() throws Exception {
        byte[] data = TestMails.randomBytes(10, 2);
        CountDownLatch atEnd = new CountDownLatch(1);
        InputStream source = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0) {
                    atEnd.countDown();
                }
                return n;
            }
        };
        try (InputStream in = new ReadAheadInputStream(source, 4, 4)) {
            atEnd.await();
            Thread.sleep(100); // the producer has queued the three chunks and the end
            Thread.currentThread().interrupt();
            try {
                assertThat(in.readAllBytes()).isEqualTo(data);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void closeWhenCallerInterruptedThenStillWaitsForTheProducerAndKeepsTheInterrupt() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            DeafSource source = new DeafSource();
            InputStream in = new ReadAheadInputStream(source);
            source.reading.await();
            Thread.currentThread().interrupt();
            try {
                in.close();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(source.closed.getCount()).isZero();
            assertThat(source.readAfterClose).isFalse();
        });
    }

    @Test
    void readWhenAnyThenProducerIsAVirtualThreadNamedTodokeReadAhead() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        InputStream source = new InputStream() {
            @Override
            public int read() {
                reader.set(Thread.currentThread());
                return -1;
            }
        };
        try (InputStream in = new ReadAheadInputStream(source)) {
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(reader.get().isVirtual()).isTrue();
        assertThat(reader.get().getName()).isEqualTo("todoke-read-ahead");
    }

    /** Waits for the source to have served {@code expected} bytes, then checks it serves no more. */
    private static void assertSteadyAt(CountingSource source, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (source.read.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        assertThat(source.read.get()).isEqualTo(expected);
    }

    /** A byte array served in reads of random short lengths, as a decoder would. */
    private static final class ChoppySource extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        ChoppySource(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(10_000)), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Serves its bytes, then throws. */
    private static final class FailingSource extends InputStream {
        private final InputStream data;
        private final Throwable failure;

        FailingSource(byte[] data, Throwable failure) {
            this.data = new ChoppySource(data, 5);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = data.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            switch (failure) {
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new AssertionError(failure);
            }
        }
    }

    /** An endless source that counts what it serves, in reads of up to 1,000 bytes. */
    private static final class CountingSource extends InputStream {
        final AtomicLong read = new AtomicLong();
        volatile boolean closed;
        volatile boolean readAfterClose;

        @Override
        public int read() {
            return read(new byte[1], 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (closed) {
                readAfterClose = true;
            }
            int n = Math.min(len, 1000);
            read.addAndGet(n);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A source whose read ignores interrupts and returns only once the source is closed (as a socket). */
    private static final class DeafSource extends InputStream {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean readAfterClose;

        @Override
        public int read() throws IOException {
            return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed.getCount() == 0) {
                readAfterClose = true;
                throw new IOException("Socket closed");
            }
            reading.countDown();
            while (true) {
                try {
                    closed.await();
                    throw new IOException("Socket closed");
                } catch (InterruptedException e) {
                    // ignored, as a blocking socket read does
                }
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
