package dev.todoke.mail;

import dev.todoke.TodokeProperties;
import dev.todoke.relay.MessageContent;
import dev.todoke.storage.SecretFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The loop-safety seal on every mail Todoke writes: the header {@value #HEADER} carries an HMAC-SHA256,
 * under a key only Todoke knows, over the mail's kind and a hash of its body. Incoming mail whose seal
 * verifies is Todoke's own output and passes through unchanged; a sender cannot forge a seal, and
 * copying one from another Todoke mail does not help because it is bound to that mail's body.
 *
 * <p>The body hash is "relaxed": SHA-256 over the body bytes with every space, tab, CR and LF removed,
 * so line-end conversion and re-wrapping by a relay keep the seal valid. A relay that re-encodes the
 * body (8bit to quoted-printable) breaks it: the mail is then processed again, which is safe (Todoke's
 * output has no attachments left to take out).
 *
 * <p>Thread-safe.
 */
@Component
public class MailSeal {

    /** The seal header's name. */
    public static final String HEADER = "X-Todoke-Seal";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final Pattern SEAL = Pattern.compile("v1\\s+kind=([a-z-]{1,32})\\s+mac=([A-Za-z0-9_-]{43})");

    private final SecretKeySpec key;

    public MailSeal(MailProperties properties, TodokeProperties todoke, SecureRandom random) {
        this.key = new SecretKeySpec(loadKey(properties.sealKey(), todoke.dataDir(), random), ALGORITHM);
    }

    /** True for a header name Todoke owns ({@code X-Todoke-*}, any case): forged ones are dropped. */
    public static boolean isTodokeHeader(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("x-todoke-");
    }

    /**
     * Seals a message: returns it with the {@value #HEADER} field put in front of its header section.
     * Reads {@code message} once here (to hash the body) and again whenever the result is opened.
     */
    public MessageContent seal(String kind, MessageContent message) throws IOException {
        byte[] bodyHash;
        try (Sections in = new Sections(message.open())) {
            in.header();
            bodyHash = in.relaxedBodyHash();
        }
        byte[] field = (HEADER + ": v1 kind=" + kind + " mac=" + mac(kind, bodyHash) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return () -> new SequenceInputStream(new java.io.ByteArrayInputStream(field), message.open());
    }

    /**
     * The kind named by a valid seal in the message's top-level header section, or empty when there is
     * no seal or none verifies.
     */
    public Optional<String> verify(MessageContent message) throws IOException {
        try (Sections in = new Sections(message.open())) {
            byte[] header = in.header();
            if (header == null) {
                return Optional.empty();
            }
            List<Matcher> seals = sealFields(new String(header, StandardCharsets.ISO_8859_1));
            if (seals.isEmpty()) {
                return Optional.empty();
            }
            byte[] bodyHash = in.relaxedBodyHash();
            for (Matcher seal : seals) {
                String kind = seal.group(1);
                byte[] expected = mac(kind, bodyHash).getBytes(StandardCharsets.US_ASCII);
                if (MessageDigest.isEqual(expected, seal.group(2).getBytes(StandardCharsets.US_ASCII))) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    private static List<Matcher> sealFields(String header) {
        List<Matcher> seals = new ArrayList<>();
        String unfolded = header.replaceAll("\r?\n[ \t]+", " ");
        for (String line : unfolded.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(HEADER)) {
                Matcher matcher = SEAL.matcher(line.substring(colon + 1).trim());
                if (matcher.matches()) {
                    seals.add(matcher);
                }
            }
        }
        return seals;
    }

    private String mac(String kind, byte[] bodyHash) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(("todoke-seal-v1\0" + kind + "\0").getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(bodyHash));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /**
     * A message read once in 64 KiB blocks (no per-byte reads): first its header section, then the relaxed
     * hash of what follows. Not thread-safe.
     */
    private static final class Sections implements AutoCloseable {

        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        Sections(InputStream in) {
            this.in = in;
        }

        /**
         * Reads up to and including the empty line that ends the header section; returns the header bytes,
         * or null when the section is larger than we look at (such mail carries no seal of ours).
         */
        byte[] header() throws IOException {
            ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
            int previous = -1;
            int beforePrevious = -1;
            while (fill()) {
                for (int i = start; i < end; i++) {
                    byte b = buffer[i];
                    if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                        header.write(buffer, start, i + 1 - start);
                        start = i + 1;
                        return header.size() > MAX_HEADER_BYTES + 1 ? null : header.toByteArray();
                    }
                    beforePrevious = previous;
                    previous = b;
                }
                header.write(buffer, start, end - start);
                start = end;
                if (header.size() > MAX_HEADER_BYTES) {
                    return null;
                }
            }
            return header.toByteArray();
        }

        /** SHA-256 over the rest of the message without spaces, tabs, CRs and LFs. */
        byte[] relaxedBodyHash() throws IOException {
            MessageDigest digest = sha256();
            byte[] kept = new byte[buffer.length];
            while (fill()) {
                int k = 0;
                for (int i = start; i < end; i++) {
                    byte c = buffer[i];
                    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                        kept[k++] = c;
                    }
                }
                digest.update(kept, 0, k);
                start = end;
            }
            return digest.digest();
        }

        /** True when unread bytes are in the buffer, reading the next block when none are left. */
        private boolean fill() throws IOException {
            while (start == end) {
                int n = in.read(buffer);
                if (n < 0) {
                    return false;
                }
                start = 0;
                end = n;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] loadKey(String configured, Path dataDir, SecureRandom random) {
        if (!configured.isEmpty()) {
            return Base64.getDecoder().decode(configured);
        }
        Path file = dataDir.resolve("keys").resolve("seal.key");
        try {
            byte[] text = SecretFile.readOrCreate(file, () -> {
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                return Base64.getEncoder().encodeToString(fresh).getBytes(StandardCharsets.US_ASCII);
            });
            byte[] key = Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).trim());
            if (key.length < 32) {
                throw new IllegalStateException("the seal key in " + file + " is shorter than 32 bytes");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the seal key " + file + ": " + e.getMessage(), e);
        }
    }
}
