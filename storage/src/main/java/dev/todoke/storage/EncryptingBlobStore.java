package dev.todoke.storage;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts every blob before it reaches the wrapped backend, which only ever sees ciphertext under
 * random names.
 *
 * <p>Each blob gets its own random 256-bit data key, wrapped by the key ring's primary key-encryption
 * key. The stored object is an {@link EnvelopeHeader} (magic, version, segment size, KEK id, wrapped
 * data key) followed by Google Tink's AES-GCM-HKDF streaming AEAD ciphertext (AES-256-GCM segments
 * with the STREAM construction), with the whole header as associated data. Memory per open stream is
 * about two segments. A range read decrypts only the segments it touches.
 *
 * <p>Tampering, truncation, reordering, a KEK id not in the ring, or a wrong key: {@link
 * BlobIntegrityException}, thrown from {@code open} when the header shows it, otherwise from {@code
 * read} as the cause of an {@link IOException}. Thread-safe.
 */
public final class EncryptingBlobStore implements BlobStore {

    /** The ciphertext segment size: see docs/adr/0002-encryption-segment-size.md. */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(EncryptingBlobStore.class);
    private static final String HKDF = "HmacSha256";
    private static final int KEY_SIZE = 32;
    private static final int TAG_SIZE = 16;

    private final BlobStore backend;
    private final KeyRing keys;
    private final SecureRandom random;
    private final int segmentSize;

    public EncryptingBlobStore(BlobStore backend, KeyRing keys, SecureRandom random) {
        this(backend, keys, random, DEFAULT_SEGMENT_SIZE);
    }

    /** @param segmentSize ciphertext segment size for new blobs (existing blobs keep theirs) */
    public EncryptingBlobStore(BlobStore backend, KeyRing keys, SecureRandom random, int segmentSize) {
        if (segmentSize < EnvelopeHeader.MIN_SEGMENT_SIZE || segmentSize > EnvelopeHeader.MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segment size must be between 4 KiB and 8 MiB, got " + segmentSize);
        }
        this.backend = backend;
        this.keys = keys;
        this.random = random;
        this.segmentSize = segmentSize;
    }

    @Override
    public StoredBlob put(InputStream content) {
        byte[] dataKey = new byte[KEY_SIZE];
        random.nextBytes(dataKey);
        try {
            String kekId = keys.primaryId();
            byte[] prefix = EnvelopeHeader.prefix(segmentSize, kekId);
            EnvelopeHeader header =
                    EnvelopeHeader.create(segmentSize, kekId, prefix, keys.wrap(dataKey, prefix, random));
            EncryptingInputStream ciphertext =
                    new EncryptingInputStream(content, streaming(dataKey, segmentSize), header.bytes());
            StoredBlob stored = backend.put(ciphertext);
            return new StoredBlob(stored.key(), ciphertext.plaintextBytes());
        } catch (GeneralSecurityException e) {
            throw new StorageException("cannot encrypt: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public InputStream open(String key) {
        InputStream raw = backend.open(key);
        try {
            EnvelopeHeader header = EnvelopeHeader.read(raw);
            AesGcmHkdfStreaming streaming = streaming(header);
            InputStream backendStream = new BackendFailures(raw);
            return new IntegrityFailures(key, streaming.newDecryptingStream(backendStream, header.bytes()));
        } catch (IOException e) {
            closeQuietly(raw);
            throw new StorageException("cannot read blob " + key + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            closeQuietly(raw);
            throw new BlobIntegrityException("cannot decrypt blob " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        BlobKeys.checkRange(offset, length);
        Layout layout = layout(key);
        long end = Math.min(layout.plaintextSize(), offset + Math.min(length, Long.MAX_VALUE - offset));
        if (offset >= end) {
            return InputStream.nullInputStream();
        }
        try {
            BlobChannel channel = new BlobChannel(
                    backend,
                    key,
                    layout.header().length(),
                    layout.ciphertextSize(),
                    layout.ciphertextEnd(end - 1),
                    layout.prefix());
            SeekableByteChannel plaintext = layout.streaming()
                    .newSeekableDecryptingChannel(channel, layout.header().bytes());
            plaintext.position(offset);
            return new IntegrityFailures(key, new ChannelRange(plaintext, end - offset));
        } catch (IOException e) {
            throw new StorageException("cannot read blob " + key + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new BlobIntegrityException("cannot decrypt blob " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String key) {
        return layout(key).plaintextSize();
    }

    @Override
    public void delete(String key) {
        backend.delete(key);
    }

    /**
     * Runs the encrypt and decrypt paths over {@code bytes} of throwaway data in memory, so that the JIT
     * compiles AES-GCM before the first real blob (a fresh JVM otherwise runs it at a fraction of its
     * speed for the first hundreds of MB). Touches neither the backend nor the key ring's keys.
     */
    public void warmUp(long bytes) {
        byte[] dataKey = new byte[KEY_SIZE];
        random.nextBytes(dataKey);
        byte[] header = EnvelopeHeader.prefix(segmentSize, "warm-up");
        byte[] chunk = new byte[4 * 1024 * 1024];
        byte[] sink = new byte[DEFAULT_SEGMENT_SIZE];
        try {
            AesGcmHkdfStreaming streaming = streaming(dataKey, segmentSize);
            for (long done = 0; done < bytes; done += chunk.length) {
                byte[] ciphertext =
                        new EncryptingInputStream(new ByteArrayInputStream(chunk), streaming, header).readAllBytes();
                InputStream in = streaming.newDecryptingStream(
                        new ByteArrayInputStream(ciphertext, header.length, ciphertext.length - header.length), header);
                while (in.read(sink) >= 0) {
                    // discard
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new StorageException("cipher warm-up failed: " + e.getMessage(), e);
        }
    }

    /** {@link #warmUp} in a low-priority daemon thread, already started. */
    public Thread warmUpInBackground(long bytes) {
        Thread thread = new Thread(
                () -> {
                    long start = System.nanoTime();
                    try {
                        warmUp(bytes);
                        log.info(
                                "Cipher warmed up: {} MiB in {} ms",
                                bytes >> 20,
                                (System.nanoTime() - start) / 1_000_000);
                    } catch (RuntimeException e) {
                        log.warn("Cipher warm-up failed: {}", e.getMessage());
                    }
                },
                "todoke-cipher-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /** Where a blob's header ends and how big its plaintext is, from its header and backend size. */
    private Layout layout(String key) {
        long total = backend.size(key);
        byte[] first;
        try (InputStream in = backend.open(key, 0, EnvelopeHeader.MAX_LENGTH + 1 + KEY_SIZE + 7)) {
            first = in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read blob " + key + ": " + e.getMessage(), e);
        }
        EnvelopeHeader header;
        try {
            header = EnvelopeHeader.read(new ByteArrayInputStream(first));
        } catch (IOException e) {
            throw new StorageException("cannot read blob " + key + ": " + e.getMessage(), e);
        }
        AesGcmHkdfStreaming streaming = streaming(header);
        long ciphertextSize = total - header.length();
        int segment = streaming.getCiphertextSegmentSize();
        long segments = (ciphertextSize + segment - 1) / segment;
        long remainder = ciphertextSize % segment;
        if (ciphertextSize < streaming.getHeaderLength() + TAG_SIZE || (remainder > 0 && remainder <= TAG_SIZE)) {
            throw new BlobIntegrityException(
                    "blob " + key + " is truncated: " + ciphertextSize + " bytes of ciphertext");
        }
        long plaintextSize = ciphertextSize - streaming.getHeaderLength() - segments * TAG_SIZE;
        byte[] prefix = Arrays.copyOfRange(first, header.length(), first.length);
        return new Layout(header, streaming, ciphertextSize, plaintextSize, prefix);
    }

    private record Layout(
            EnvelopeHeader header,
            AesGcmHkdfStreaming streaming,
            long ciphertextSize,
            long plaintextSize,
            byte[] prefix) {

        /** Ciphertext offset just past the segment that holds plaintext byte {@code position}. */
        long ciphertextEnd(long position) {
            int segment = streaming.getCiphertextSegmentSize();
            long firstPlaintext = streaming.getPlaintextSegmentSize() - streaming.getCiphertextOffset();
            long index = position < firstPlaintext
                    ? 0
                    : 1 + (position - firstPlaintext) / streaming.getPlaintextSegmentSize();
            return Math.min(ciphertextSize, (index + 1) * segment);
        }
    }

    private AesGcmHkdfStreaming streaming(EnvelopeHeader header) {
        byte[] dataKey = keys.unwrap(header.kekId(), header.wrappedKey(), header.prefix());
        try {
            return streaming(dataKey, header.segmentSize());
        } catch (InvalidAlgorithmParameterException e) {
            throw new BlobIntegrityException("corrupt blob header: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static AesGcmHkdfStreaming streaming(byte[] dataKey, int segmentSize)
            throws InvalidAlgorithmParameterException {
        return new AesGcmHkdfStreaming(dataKey, HKDF, KEY_SIZE, segmentSize, 0);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the failure being reported matters more
        }
    }

    /** Marks IO failures of the backend, so that they are not mistaken for failed authentication. */
    private static final class BackendFailures extends FilterInputStream {
        BackendFailures(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new BackendIOException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new BackendIOException(e);
            }
        }
    }

    private static final class BackendIOException extends IOException {
        BackendIOException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Turns the decrypter's failures into an {@link IOException} caused by {@link
     * BlobIntegrityException}; backend failures stay plain IO errors.
     */
    private static final class IntegrityFailures extends FilterInputStream {
        private final String key;

        IntegrityFailures(String key, InputStream in) {
            super(in);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw map(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw map(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw map(e);
            }
        }

        private IOException map(IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BackendIOException backendFailure) {
                    return new IOException(
                            "cannot read blob " + key + ": " + backendFailure.getMessage(), backendFailure.getCause());
                }
                if (t instanceof StorageException storageFailure && !(t instanceof BlobIntegrityException)) {
                    return new IOException(
                            "cannot read blob " + key + ": " + storageFailure.getMessage(), storageFailure);
                }
            }
            String reason = firstLine(e.getMessage());
            BlobIntegrityException integrity = new BlobIntegrityException(
                    "blob " + key + " failed authentication (tampered, truncated, reordered or wrong key): " + reason,
                    e);
            return new IOException(integrity.getMessage(), integrity);
        }

        private static String firstLine(String message) {
            if (message == null) {
                return "decryption failed";
            }
            int newline = message.indexOf('\n');
            return newline < 0 ? message : message.substring(0, newline);
        }
    }

    /** Reads {@code remaining} bytes of a seekable channel from its current position. */
    private static final class ChannelRange extends BulkReadInputStream {
        private final SeekableByteChannel channel;
        private long remaining;

        ChannelRange(SeekableByteChannel channel, long remaining) {
            this.channel = channel;
            this.remaining = remaining;
        }

        @Override
        int readSome(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            ByteBuffer dst = ByteBuffer.wrap(b, off, (int) Math.min(len, remaining));
            int n = channel.read(dst);
            if (n < 0) {
                throw new IOException("blob ended before the range did");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
