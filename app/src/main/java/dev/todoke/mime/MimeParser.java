package dev.todoke.mime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Parses spooled RFC 5322 messages into {@link ParsedMessage}s in one streaming pass, holding only
 * headers and offsets in memory. Thread safe: one parser serves any number of concurrent parses. Opaque
 * S/MIME signed-data is unwrapped into a file beside the spool file first (see {@link
 * ParsedMessage#close()}).
 *
 * <p>Lenient where that is safe and common (LF line ends, a missing close delimiter, junk in preamble and
 * epilogue, undecodable names); refuses with {@link MimeRejectedException} where an attachment could
 * slip through or a limit is passed. Nothing but these two exceptions leaves {@link #parse(Path)}.
 */
public final class MimeParser {

    private final MimeLimits limits;

    public MimeParser(MimeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Parses a raw RFC 5322 message spooled to a file, with bounded memory (never loads a part body into the heap). */
    public ParsedMessage parse(Path rawMessage) throws MimeRejectedException, IOException {
        try {
            Part root = StructureScanner.scan(rawMessage, limits);
            Path unwrapped = OpaqueSigned.unwrap(rawMessage, root);
            if (unwrapped != null) {
                return parseUnwrapped(unwrapped);
            }
            Classifier classifier = new Classifier(rawMessage, limits);
            classifier.classify(root);
            return new ParsedMessage(rawMessage, root, classifier.security, classifier.attachments, null);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException | StackOverflowError e) {
            throw new MimeRejectedException("The message's MIME structure could not be parsed safely.");
        }
    }

    /** The content of opaque signed-data, parsed as the message; the file goes with the result. */
    private ParsedMessage parseUnwrapped(Path unwrapped) throws MimeRejectedException, IOException {
        boolean handedOver = false;
        try {
            Part root = StructureScanner.scan(unwrapped, limits);
            Classifier classifier = new Classifier(unwrapped, limits);
            classifier.classify(root);
            Security security = classifier.security == Security.ENCRYPTED ? Security.ENCRYPTED : Security.SIGNED;
            ParsedMessage parsed = new ParsedMessage(unwrapped, root, security, classifier.attachments, unwrapped);
            handedOver = true;
            return parsed;
        } finally {
            if (!handedOver) {
                java.nio.file.Files.deleteIfExists(unwrapped);
            }
        }
    }

    public MimeLimits limits() {
        return limits;
    }
}
