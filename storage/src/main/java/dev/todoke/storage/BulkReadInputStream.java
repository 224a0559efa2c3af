package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that reads only in bulk: {@link #read()} goes through {@link #readSome}, and an empty
 * read returns 0 without touching the source. Not thread-safe.
 */
abstract class BulkReadInputStream extends InputStream {

    /**
     * Reads at least one and at most {@code len} bytes into {@code b} from {@code off}.
     *
     * @param len at least 1
     * @return how many bytes were read, or -1 at the end of the stream
     */
    abstract int readSome(byte[] b, int off, int len) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        return readSome(b, off, len);
    }
}
