package dev.todoke.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes the copy of a parsed message that external recipients get: every attachment removed, the notice
 * at the top of the text and HTML bodies, headers added and dropped as the {@link RewriteSpec} says.
 * Everything else is copied byte for byte from the spool file, except where a line would be longer than
 * 998 octets: such a header field is folded again, such a body is re-encoded as base64. Thread safe.
 *
 * <p>Signed mail loses its signature wrapper (the signed content becomes the body); a message that is one
 * encapsulated message becomes the encapsulated content. Encrypted mail only gets the header changes. A
 * message whose only content is an attachment gets the notice as its body; a message without a text or
 * HTML body gets a new multipart/alternative notice part. An HTML body that shows a part that became a
 * link gets a small placeholder naming the file instead.
 */
public final class MessageRewriter {

    private final RandomGenerator random;

    public MessageRewriter() {
        this(new SecureRandom());
    }

    /** With a given source of boundary strings (tests use a seeded one). */
    public MessageRewriter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Writes a copy of the message with every attachment removed and the notice inserted. */
    public void write(ParsedMessage message, RewriteSpec spec, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(new BodyEncoder.NonClosing(out), 64 * 1024);
        try (FileChannel channel = FileChannel.open(message.source(), StandardOpenOption.READ)) {
            new CopyWriter(message, spec, new SpoolCopier(channel, buffered, message.source()), this::newBoundary)
                    .run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException("the message could not be rewritten", e);
        }
        buffered.flush();
    }

    /**
     * Writes the message with only its top-level header edited as the spec says (fields added and
     * dropped, address fields of a forced-BCC copy); everything after the header section is copied byte
     * for byte from {@code message}, the raw message file (not the parser's derived file), notice texts
     * are not used. For mail with nothing to take out (no attachments, or encrypted) that still needs its
     * own header per recipient. A kept field with a line over 998 octets is folded again.
     */
    public void writeHeaderOnly(Path message, RewriteSpec spec, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(new BodyEncoder.NonClosing(out), 64 * 1024);
        try (FileChannel channel = FileChannel.open(message, StandardOpenOption.READ)) {
            SpoolCopier copier = new SpoolCopier(channel, buffered, message);
            TopHeader header = TopHeader.read(channel);
            List<Object> fields = new ArrayList<>(spec.headersToAdd());
            for (HeaderField f : header.fields()) {
                if (!spec.dropHeader().test(f.lowerName())) {
                    fields.add(f);
                }
            }
            HeaderEdits.write(HeaderEdits.addresses(fields, spec, copier), copier);
            copier.copy(header.end(), copier.size());
        }
        buffered.flush();
    }

    private String newBoundary() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "=_todoke_" + HexFormat.of().formatHex(bytes);
    }
}
