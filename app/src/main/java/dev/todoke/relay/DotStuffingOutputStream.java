package dev.todoke.relay;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message bytes as SMTP DATA: a dot at the start of a line is doubled, and a lone CR or LF
 * becomes CRLF (the only line end SMTP knows; this also keeps a bare LF from ever forming a premature
 * end-of-data sequence on a lenient server). A message with CRLF line ends passes byte for byte. {@link
 * #finish()} writes the terminating {@code CRLF.CRLF} without closing the underlying stream.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private boolean afterCr;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (afterCr) {
            afterCr = false;
            if (b == '\n') {
                out.write('\n');
                atLineStart = true;
                return;
            }
            out.write('\n');
            atLineStart = true;
        }
        if (b == '\r') {
            out.write('\r');
            afterCr = true;
            return;
        }
        if (b == '\n') {
            out.write('\r');
            out.write('\n');
            atLineStart = true;
            return;
        }
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = false;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (!afterCr && !atLineStart && c != '\r' && c != '\n') {
                continue;
            }
            if (i > run) {
                out.write(b, run, i - run);
                atLineStart = false;
            }
            write(c);
            run = i + 1;
        }
        if (end > run) {
            out.write(b, run, end - run);
            atLineStart = false;
        }
    }

    /** Ends the data: completes the last line if needed, then {@code .CRLF}; flushes. */
    void finish() throws IOException {
        if (afterCr) {
            out.write('\n');
            afterCr = false;
            atLineStart = true;
        }
        if (!atLineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("use finish(); the connection stays open for the reply");
    }
}
