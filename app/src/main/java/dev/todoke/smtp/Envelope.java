package dev.todoke.smtp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The SMTP envelope of one mail transaction.
 *
 * @param sender the MAIL FROM address; empty for the null reverse-path {@code <>}
 * @param recipients every RCPT TO address, in the order given
 * @param clientAddress the IP address of the connected client
 * @param heloName what the client said in HELO/EHLO
 * @param fingerprint the retry fingerprint (lowercase hex SHA-256 over the envelope sender, the
 *     recipients and the raw bytes, see {@link #startFingerprint}), computed by the listener while it
 *     spooled DATA; empty when unknown (then a filter computes it from the spool file if it needs it)
 */
public record Envelope(
        String sender, List<String> recipients, String clientAddress, String heloName, String fingerprint) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /** An envelope without a fingerprint. */
    public Envelope(String sender, List<String> recipients, String clientAddress, String heloName) {
        this(sender, recipients, clientAddress, heloName, "");
    }

    /**
     * A SHA-256 digest that has taken the envelope part of the retry fingerprint ({@code from <sender>\n},
     * {@code to <recipient>\n} per recipient, then one zero byte); feeding it the raw message bytes and
     * hex-encoding the result gives the fingerprint. The value is stored in the database: never change it.
     */
    public static MessageDigest startFingerprint(String sender, List<String> recipients) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        digest.update(("from " + sender + "\n").getBytes(StandardCharsets.UTF_8));
        for (String recipient : recipients) {
            digest.update(("to " + recipient + "\n").getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
        return digest;
    }
}
