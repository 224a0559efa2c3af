package dev.todoke.smtp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SMTP envelope of one mail transaction.
 *
 * @param sender the MAIL FROM address; empty for the null reverse-path {@code <>}
 * @param recipients every RCPT TO address, in the order given
 * @param clientAddress the IP address of the connected client
 * @param heloName what the client said in HELO/EHLO
 * @param fingerprint the retry fingerprint ({@link #fingerprintOf}: the envelope and the message key),
 *     computed by the listener; empty when unknown (then a filter computes it from the spool file)
 * @param messageKey the key of the mail across retries ({@link #startMessageKey}: lowercase hex SHA-256
 *     over the envelope sender and the raw bytes, not the recipients), computed by the listener while it
 *     spooled DATA; empty when unknown (then a filter computes it from the spool file if it needs it)
 */
public record Envelope(
        String sender,
        List<String> recipients,
        String clientAddress,
        String heloName,
        String fingerprint,
        String messageKey) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /** An envelope with a fingerprint but no message key. */
    public Envelope(String sender, List<String> recipients, String clientAddress, String heloName, String fingerprint) {
        this(sender, recipients, clientAddress, heloName, fingerprint, "");
    }

    /** An envelope without a fingerprint. */
    public Envelope(String sender, List<String> recipients, String clientAddress, String heloName) {
        this(sender, recipients, clientAddress, heloName, "");
    }

    /**
     * A SHA-256 digest that has taken the sender part of the message key ({@code from <sender>\n}, then
     * one zero byte); feeding it the raw message bytes and hex-encoding the result gives the key. The
     * value is stored in the database ({@code copy_retry}): never change it.
     */
    public static MessageDigest startMessageKey(String sender) {
        return start(sender, List.of());
    }

    /**
     * The retry fingerprint: lowercase hex SHA-256 over {@code from <sender>\n}, {@code to <recipient>\n}
     * per recipient, one zero byte and the message key's hex. It is stored in the database (a retry of
     * mail relayed completely is answered without relaying again): never change it. Until 2026-12-02 the
     * raw bytes stood where the message key stands now; deriving it from the key saves a second SHA-256
     * pass over every message (ADR 0150).
     */
    public static String fingerprintOf(String sender, List<String> recipients, String messageKey) {
        MessageDigest digest = start(sender, recipients);
        digest.update(messageKey.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest start(String sender, List<String> recipients) {
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
