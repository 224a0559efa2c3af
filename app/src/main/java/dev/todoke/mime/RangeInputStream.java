package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The bytes [start, end) of a file, read with positional reads on a private channel. */
final class RangeInputStream extends InputStream {

    private final FileChannel channel;
    private long position;
    private final long end;

    RangeInputStream(Path file, long start, long end) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.position = start;
        this.end = Math.max(start, end);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        int want = (int) Math.min(len, left);
        int n = channel.read(ByteBuffer.wrap(b, off, want), position);
        if (n < 0) {
            return -1; // the file shrank: report end of data
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long step = Math.max(0, Math.min(n, end - position));
        position += step;
        return step;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
