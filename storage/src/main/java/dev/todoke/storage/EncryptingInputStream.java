package dev.todoke.storage;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.StreamSegmentEncrypter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Pulls plaintext from a stream and yields the envelope header followed by Tink's AES-GCM-HKDF
 * streaming ciphertext, segment by segment (the same bytes Tink's own encrypting stream writes). One
 * segment of plaintext and one of ciphertext are buffered. The plaintext stream is not closed.
 */
final class EncryptingInputStream extends BulkReadInputStream {

    private final InputStream plaintext;
    private final StreamSegmentEncrypter encrypter;
    private final byte[] plaintextSegment;
    private final int firstSegmentPlaintext;
    private final ByteBuffer ciphertext;
    private boolean first = true;
    private boolean last;
    private int lookahead = -1;
    private long plaintextBytes;

    EncryptingInputStream(InputStream plaintext, AesGcmHkdfStreaming streaming, byte[] header)
            throws GeneralSecurityException {
        this.plaintext = plaintext;
        this.encrypter = streaming.newStreamSegmentEncrypter(header);
        this.plaintextSegment = new byte[streaming.getPlaintextSegmentSize()];
        this.firstSegmentPlaintext = streaming.getPlaintextSegmentSize() - streaming.getCiphertextOffset();
        ByteBuffer tinkHeader = encrypter.getHeader();
        this.ciphertext = ByteBuffer.allocate(
                Math.max(streaming.getCiphertextSegmentSize(), header.length + tinkHeader.remaining()));
        ciphertext.put(header).put(tinkHeader).flip();
    }

    /** Plaintext bytes consumed so far; the whole size once this stream reached its end. */
    long plaintextBytes() {
        return plaintextBytes;
    }

    @Override
    int readSome(byte[] b, int off, int len) throws IOException {
        if (!ciphertext.hasRemaining()) {
            if (last) {
                return -1;
            }
            nextSegment();
        }
        int n = Math.min(len, ciphertext.remaining());
        ciphertext.get(b, off, n);
        return n;
    }

    private void nextSegment() throws IOException {
        int capacity = first ? firstSegmentPlaintext : plaintextSegment.length;
        int filled = 0;
        if (lookahead >= 0) {
            plaintextSegment[filled++] = (byte) lookahead;
            lookahead = -1;
        }
        filled += plaintext.readNBytes(plaintextSegment, filled, capacity - filled);
        if (filled == capacity) {
            lookahead = plaintext.read();
            last = lookahead < 0;
        } else {
            last = true;
        }
        plaintextBytes += filled;
        ciphertext.clear();
        try {
            encrypter.encryptSegment(ByteBuffer.wrap(plaintextSegment, 0, filled), last, ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt: " + e.getMessage(), e);
        }
        ciphertext.flip();
        first = false;
    }
}
