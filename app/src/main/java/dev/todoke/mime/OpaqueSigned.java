package dev.todoke.mime;

import dev.todoke.common.TempFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Unwraps opaque S/MIME signed-data ({@code application/pkcs7-mime} whose body is CMS SignedData, the
 * {@code .p7m} form of a signed mail), as {@link MessageRewriter} unwraps multipart/signed: the signed
 * content, streamed out of the CMS structure with Bouncy Castle's {@link CMSSignedDataParser}, is written
 * after the top-level header fields (its own Content-* fields replace the top's) to a new file next to
 * the spool file, which is then parsed as the message. The signature is not verified. Stateless.
 */
final class OpaqueSigned {

    private OpaqueSigned() {}

    /**
     * The unwrapped message in a new file beside {@code raw} (the caller deletes it), or null when the
     * top-level entity is no opaque signed-data with encapsulated content.
     */
    static Path unwrap(Path raw, Part root) throws IOException {
        String type = root.baseType();
        if (!(type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime"))
                || SecurityDetector.cms(Decoding.head(raw, root, SecurityDetector.PREFIX)) != Security.SIGNED) {
            return null;
        }
        Path unwrapped = Files.createTempFile(raw.toAbsolutePath().getParent(), "unwrapped-", ".eml");
        boolean done = false;
        try (InputStream decoded = Decoding.openBody(raw, root);
                OutputStream out = new BufferedOutputStream(TempFiles.openForWriting(unwrapped), 64 * 1024)) {
            writeTopFields(raw, root, out);
            CMSTypedStream content = new CMSSignedDataParser(new JcaDigestCalculatorProviderBuilder().build(), decoded)
                    .getSignedContent();
            if (content != null) {
                try (InputStream in = content.getContentStream()) {
                    in.transferTo(out);
                }
                done = true;
            }
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            done = false; // not readable as signed-data after all: the .p7m stays one attachment
        } finally {
            if (!done) {
                Files.deleteIfExists(unwrapped);
            }
        }
        return done ? unwrapped : null;
    }

    /** The top-level fields except Content-*, each ending in a line break. */
    private static void writeTopFields(Path raw, Part root, OutputStream out) throws IOException {
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.READ)) {
            for (HeaderField field : root.fields) {
                if (field.lowerName().startsWith("content-") || field.end() - field.start() > Integer.MAX_VALUE) {
                    continue;
                }
                ByteBuffer bytes = ByteBuffer.allocate((int) (field.end() - field.start()));
                channel.read(bytes, field.start());
                out.write(bytes.array(), 0, bytes.position());
                int last = bytes.position() - 1;
                if (last < 0 || bytes.get(last) != '\n') {
                    out.write(new byte[] {'\r', '\n'});
                }
            }
        }
    }
}
