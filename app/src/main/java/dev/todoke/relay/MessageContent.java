package dev.todoke.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Raw RFC 5322 message bytes that can be read more than once (a spool file, a byte array). */
@FunctionalInterface
public interface MessageContent {

    /** Opens a new stream over the whole message; the caller closes it. */
    InputStream open() throws IOException;

    static MessageContent of(Path file) {
        return () -> Files.newInputStream(file);
    }

    static MessageContent of(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }
}
