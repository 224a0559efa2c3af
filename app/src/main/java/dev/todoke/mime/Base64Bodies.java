package dev.todoke.mime;

import dev.todoke.common.LineFeeds;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds, while a message is still arriving, its large base64 bodies and hands each over as decoded
 * bytes, so that the gateway can store an attachment during DATA (ADR 0198). A guess from the lines
 * alone, without the MIME structure: a header section starts at the top and after every line that starts
 * with {@code --}; when one has {@code Content-Transfer-Encoding: base64} on a line of its own, its body
 * runs from after the empty line to the line break before the next line that starts with {@code -} (no
 * base64 line does), or to the end of the message.
 *
 * <p>The guess is checked afterwards, never trusted: whether a found body is an attachment, and exactly
 * that one, is for the structure scan to say ({@link Attachment#isBase64Body} compares the byte ranges).
 * A body is decoded only while it is plain base64 ({@link Base64DecodingInputStream#strict}), where the
 * decoded bytes are those {@link Attachment#openDecoded} gives for the same range; otherwise reading it
 * fails and the scan goes on.
 */
public final class Base64Bodies {

    /** Positional reads of a message that may still be growing. */
    public interface Source {

        /**
         * Reads up to {@code length} bytes at {@code position}, waiting until at least one is there.
         *
         * @return the number of bytes read, or -1 when the message has ended before {@code position}
         */
        int read(long position, byte[] bytes, int offset, int length) throws IOException;
    }

    /** Takes each large body found. */
    @FunctionalInterface
    public interface Consumer {

        /**
         * Reads {@link Body#decoded()} (to its end, or until it fails); the scan goes on after the body
         * either way. An exception from here ends the scan.
         */
        void accept(Body body) throws IOException;
    }

    private static final int CAPTURE = 128;
    private static final String TRANSFER_ENCODING = "content-transfer-encoding:";

    private Base64Bodies() {}

    /**
     * Reads the whole message from {@code source}, handing {@code consumer} every body found whose encoded
     * size reaches {@code minEncodedSize}, in order.
     */
    public static void scan(Source source, long minEncodedSize, Consumer consumer) throws IOException {
        LineReader lines = new LineReader(new SourceChannel(source, 0), 0, CAPTURE);
        boolean headers = true;
        boolean base64 = false;
        boolean pending = false;
        while (pending || lines.next()) {
            pending = false;
            if (startsWith(lines, "--")) {
                headers = true;
                base64 = false;
                continue;
            }
            if (!headers) {
                lines.skipLinesWithoutDash();
                continue;
            }
            if (lines.contentLength() > 0) {
                base64 |= isBase64Field(lines);
                continue;
            }
            headers = false;
            if (!base64) {
                continue;
            }
            long start = lines.lineEnd();
            // how far the body goes: a small one is left to the gateway's usual path
            boolean large = false;
            while (lines.next()) {
                if (startsWith(lines, "-")) {
                    pending = true;
                    break;
                }
                lines.skipLinesWithoutDash();
                if (lines.lineEnd() - start >= minEncodedSize) {
                    large = true;
                    break;
                }
            }
            if (large) {
                Body body = new Body(source, start);
                consumer.accept(body);
                if (body.stop >= 0) {
                    lines = new LineReader(new SourceChannel(source, body.stop), body.stop, CAPTURE);
                }
            }
        }
    }

    private static boolean startsWith(LineReader lines, String prefix) {
        if (lines.capturedLength() < prefix.length()) {
            return false;
        }
        byte[] line = lines.captured();
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Field(LineReader lines) {
        if (!lines.complete() || lines.capturedLength() <= TRANSFER_ENCODING.length()) {
            return false;
        }
        String line = new String(lines.captured(), 0, lines.capturedLength(), StandardCharsets.ISO_8859_1);
        return line.toLowerCase(Locale.ROOT).startsWith(TRANSFER_ENCODING)
                && line.substring(TRANSFER_ENCODING.length()).trim().equalsIgnoreCase("base64");
    }

    /** One body found: where it starts, its decoded bytes, and (once those are read) where it ends. */
    public static final class Body {

        private final long start;
        private final Raw raw;
        private final InputStream decoded;
        /** The start of the line that ended the body (or the end of the message), once known. */
        private long stop = -1;
        /** Where the body ends as the structure scan sees it, once known. */
        private long end = -1;

        /** Whether the decoded bytes were read to their end without failing. */
        private boolean whole;

        private Body(Source source, long start) {
            this.start = start;
            this.raw = new Raw(source, start);
            this.decoded = new FilterInputStream(Base64DecodingInputStream.strict(raw)) {
                @Override
                public int read() throws IOException {
                    return ended(super.read());
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    return ended(super.read(bytes, offset, length));
                }

                private int ended(int n) {
                    whole |= n < 0;
                    return n;
                }
            };
        }

        /** The offset of the body's first byte in the message. */
        public long start() {
            return start;
        }

        /**
         * The decoded bytes, read once; reading fails with an {@link IOException} where the body is not
         * plain base64 (then {@link #end()} stays -1).
         */
        public InputStream decoded() {
            return decoded;
        }

        /**
         * Where the body ends (exclusive): before the line break ahead of the line that starts with {@code
         * -}, or the end of the message; -1 until {@link #decoded()} has been read to its end without
         * failing.
         */
        public long end() {
            return whole ? end : -1;
        }

        /** The body's encoded bytes, up to the first line that starts with '-' (or the end). */
        private final class Raw extends InputStream {

            private final Source source;
            private final byte[] buffer = new byte[64 * 1024];
            private long bufferStart;
            private int position;
            /** End of what may be read from the buffer: its length, or where the '-' line starts. */
            private int limit;

            private boolean dashFound;
            private boolean lineStart = true;
            /** The two bytes before the buffer's first one, for the line break ahead of a '-' line. */
            private int before1 = -1;

            private int before2 = -1;

            Raw(Source source, long start) {
                this.source = source;
                this.bufferStart = start;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (position >= limit && !fill()) {
                    return -1;
                }
                int n = Math.min(length, limit - position);
                System.arraycopy(buffer, position, bytes, offset, n);
                position += n;
                return n;
            }

            private boolean fill() throws IOException {
                if (end >= 0) {
                    return false;
                }
                if (dashFound) {
                    finish(bufferStart + limit, byteBefore(limit, 1), byteBefore(limit, 2));
                    return false;
                }
                if (limit > 0) {
                    before2 = limit >= 2 ? buffer[limit - 2] : before1;
                    before1 = buffer[limit - 1];
                    bufferStart += limit;
                }
                position = 0;
                limit = 0;
                int n = source.read(bufferStart, buffer, 0, buffer.length);
                if (n < 0) {
                    finish(bufferStart, -1, -1);
                    return false;
                }
                limit = findDashLine(n);
                return limit > 0 || fill();
            }

            /**
             * The first '-' line start in buffer[0, n), or n; carries whether the next fill starts a line.
             * Looks for the dashes themselves (base64 has none), not for every line break.
             */
            private int findDashLine(int n) {
                int i = 0;
                while (true) {
                    int dash = LineFeeds.indexOf(buffer, i, n, (byte) '-');
                    if (dash < 0) {
                        lineStart = buffer[n - 1] == '\n';
                        return n;
                    }
                    if (dash == 0 ? lineStart : buffer[dash - 1] == '\n') {
                        dashFound = true;
                        return dash;
                    }
                    i = dash + 1;
                }
            }

            /** The byte {@code back} places before buffer index {@code index}, or -1 before the body. */
            private int byteBefore(int index, int back) {
                int i = index - back;
                if (i >= 0) {
                    return buffer[i];
                }
                return i == -1 ? before1 : before2;
            }

            private void finish(long dashLine, int last, int beforeLast) {
                stop = dashLine;
                if (dashLine == start || last != '\n') {
                    end = dashLine;
                } else {
                    end = dashLine - (beforeLast == '\r' && dashLine - 2 >= start ? 2 : 1);
                }
            }
        }
    }

    /** A channel over the source from a position, for the line reader. */
    private static final class SourceChannel implements ReadableByteChannel {

        private final Source source;
        private long position;
        private boolean open = true;

        SourceChannel(Source source, long position) {
            this.source = source;
            this.position = position;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            int n = source.read(position, target.array(), target.arrayOffset() + target.position(), target.remaining());
            if (n > 0) {
                target.position(target.position() + n);
                position += n;
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
