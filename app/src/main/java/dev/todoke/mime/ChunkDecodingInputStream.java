package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * The read side shared by the transfer decoders: a subclass decodes its input a chunk at a time in
 * {@link #fill()} and hands each chunk over with {@link #output}; this class serves reads from that chunk
 * and closes the input. Not thread-safe.
 */
abstract class ChunkDecodingInputStream extends InputStream {

    /** The encoded input; closed by {@link #close()}. */
    final InputStream in;

    private byte[] out = new byte[0];
    private int outPos;
    private int outLength;

    ChunkDecodingInputStream(InputStream in) {
        this.in = in;
    }

    /**
     * Decodes more input, handing at least one byte to {@link #output} before returning true.
     *
     * @return false at the end of the decoded data
     */
    abstract boolean fill() throws IOException;

    /** Makes {@code bytes[from, to)} the next bytes to read; the array is not copied. */
    final void output(byte[] bytes, int from, int to) {
        out = bytes;
        outPos = from;
        outLength = to;
    }

    /** Whether every byte handed over so far has been read. */
    final boolean drained() {
        return outPos >= outLength;
    }

    @Override
    public final int read() throws IOException {
        if (drained() && !fill()) {
            return -1;
        }
        return out[outPos++] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (drained() && !fill()) {
            return -1;
        }
        int n = Math.min(len, outLength - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
