package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WriteBehindOutputStreamTest {

    /** A target that records what it is given and whether it was closed, optionally slowly. */
    private static class Target extends ByteArrayOutputStream {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void writeWhenRandomWritesOverManyBlocksThenTargetHasEveryByteInOrder() throws IOException {
        Random random = new Random(2026);
        byte[] data = new byte[WriteBehindOutputStream.BLOCKS * WriteBehindOutputStream.BLOCK * 3 + 12_345];
        random.nextBytes(data);
        Target target = new Target();

        try (WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer")) {
            int i = 0;
            while (i < data.length) {
                // from single bytes to writes that span several blocks
                int n = Math.min(
                        data.length - i,
                        random.nextInt(4) == 0 ? 1 : random.nextInt(3 * WriteBehindOutputStream.BLOCK));
                if (n == 1) {
                    out.write(data[i]);
                } else {
                    out.write(data, i, n);
                }
                i += n;
            }
        }

        assertThat(target.toByteArray()).isEqualTo(data);
        assertThat(target.closed).isTrue();
    }

    @Test
    void closeWhenNothingWrittenThenTargetClosedAndSecondCloseDoesNothing() throws IOException {
        Target target = new Target();
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");

        out.close();
        out.close();

        assertThat(target.size()).isZero();
        assertThat(target.closed).isTrue();
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void writeWhenTargetFailsThenWriteAndCloseThrowItsFailureAndTheThreadEnds() throws Exception {
        IOException diskFull = new IOException("No space left on device");
        AtomicReference<Thread> writerThread = new AtomicReference<>();
        OutputStream target = new OutputStream() {
            long written;

            @Override
            public void write(int b) {
                throw new AssertionError("blocks only");
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                writerThread.set(Thread.currentThread());
                written += length;
                if (written > WriteBehindOutputStream.BLOCK) {
                    throw diskFull;
                }
            }
        };
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        byte[] chunk = new byte[64 * 1024];

        IOException thrown = null;
        for (int i = 0; i < 100_000 && thrown == null; i++) {
            try {
                out.write(chunk, 0, chunk.length);
            } catch (IOException e) {
                thrown = e;
            }
        }

        assertThat(thrown).isSameAs(diskFull);
        assertThatThrownBy(out::close).isSameAs(diskFull);
        assertThat(writerThread.get().isAlive()).isFalse();
    }

    @Test
    void writeWhenTargetStallsThenWriterWaitsAfterTheLastBlockAndGoesOnWhenItMoves() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Target target = new Target() {
            @Override
            public void write(byte[] bytes, int offset, int length) { // not holding the lock while it stalls
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                super.write(bytes, offset, length);
            }
        };
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        int total = (WriteBehindOutputStream.BLOCKS + 2) * WriteBehindOutputStream.BLOCK;
        byte[] data = new byte[total];
        new Random(7).nextBytes(data);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                out.write(data, 0, data.length);
                out.close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });

        // the producer fills every block, then waits for one: memory stays at BLOCKS blocks
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(producer.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(target.size()).isZero();

        release.countDown();
        producer.join();

        assertThat(failure.get()).isNull();
        assertThat(target.toByteArray()).isEqualTo(data);
    }

    @Test
    void flushWhenPartBlockWrittenThenItReachesTheTargetBeforeClose() throws Exception {
        Target target = new Target();
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        out.write(new byte[] {1, 2, 3}, 0, 3);

        out.flush();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (target.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(target.toByteArray()).containsExactly(1, 2, 3);
        assertThat(target.closed).isFalse();
        out.close();
        assertThat(target.closed).isTrue();
    }
}
