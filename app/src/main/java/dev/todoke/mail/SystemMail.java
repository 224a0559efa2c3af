package dev.todoke.mail;

import dev.todoke.relay.MessageContent;
import dev.todoke.relay.NextHop;
import dev.todoke.relay.RelayException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Sends the mail Todoke writes itself: receipts to senders, passcodes and download notes to
 * recipients. Each is a multipart/alternative UTF-8 message (plain text and HTML) with {@code From:
 * todoke.mail.from}, {@code Date}, a new {@code Message-ID}, {@code Auto-Submitted: auto-generated},
 * {@code X-Todoke-Kind: <kind>} and the loop-safety {@link MailSeal seal}, sent through the {@link
 * NextHop} to one recipient with MAIL FROM {@code todoke.mail.envelope-from} ({@code <>} by default).
 *
 * <p>{@link #send} returns when the next hop has accepted the mail. Thread-safe.
 */
@Component
public class SystemMail {

    /** The kinds of mail Todoke writes; the value of {@code X-Todoke-Kind}. */
    public static final Set<String> KINDS = Set.of(
            "notice", "otp", "receipt", "download", "admin-change", "hold", "approval", "rejected", "release-failed");

    /** The header naming what kind of Todoke mail a message is. */
    public static final String KIND_HEADER = "X-Todoke-Kind";

    /**
     * Jakarta Mail 2.1 looks its {@code StreamProvider} up for every body part, encoded word and written
     * message; without this property each lookup is a {@code ServiceLoader} scan of every jar on the class
     * path (a tenth of a receipt's CPU in the gateway benchmark's profile, docs/benchmarks.md). Named once
     * here, before the first message is built; a value set by the operator is kept.
     */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private final MailProperties properties;
    private final MailSeal seal;
    private final NextHop nextHop;
    private final Clock clock;
    private final SecureRandom random;
    private final Session session = Session.getInstance(new Properties());

    public SystemMail(MailProperties properties, MailSeal seal, NextHop nextHop, Clock clock, SecureRandom random) {
        this.properties = properties;
        this.seal = seal;
        this.nextHop = nextHop;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Builds and sends one system mail.
     *
     * @param kind one of {@link #KINDS}
     * @param to the one recipient's address
     * @param subject the subject (any language; encoded as UTF-8)
     * @param text the plain-text body
     * @param html the HTML body (a complete document or a fragment)
     * @throws SystemMailException when the mail could not be built or the next hop did not accept it
     * @throws IllegalArgumentException for an unknown kind
     */
    public void send(String kind, String to, String subject, String text, String html) {
        send(kind, to, subject, text, html, Map.of());
    }

    /**
     * Sends one system mail with extra header fields (ASCII names and values, for example {@code
     * X-Todoke-Finding}); otherwise as {@link #send(String, String, String, String, String)}.
     */
    public void send(String kind, String to, String subject, String text, String html, Map<String, String> headers) {
        send(nextHop::send, kind, to, subject, text, html, headers);
    }

    /**
     * As {@link #send(String, String, String, String, String, Map)}, over an open next-hop session (for
     * example after the copies of the same mail, on the same connection).
     *
     * @param via a session of this class's next hop
     */
    public void send(
            NextHop.Session via,
            String kind,
            String to,
            String subject,
            String text,
            String html,
            Map<String, String> headers) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind of system mail: " + kind);
        }
        InternetAddress recipient;
        try {
            recipient = new InternetAddress(to, true);
        } catch (AddressException e) {
            throw new SystemMailException("not a mail address: " + to, false, e);
        }
        MessageContent message;
        try {
            message = seal.seal(kind, MessageContent.of(build(kind, recipient, subject, text, html, headers)));
        } catch (MessagingException | IOException e) {
            throw new SystemMailException("cannot build the " + kind + " mail: " + e.getMessage(), false, e);
        }
        try {
            via.send(properties.envelopeFrom(), List.of(recipient.getAddress()), message);
        } catch (RelayException e) {
            throw new SystemMailException(
                    "the next hop (" + nextHop.describe() + ") did not take the " + kind + " mail: " + e.getMessage(),
                    !e.isPermanent(),
                    e);
        }
    }

    private byte[] build(
            String kind, InternetAddress to, String subject, String text, String html, Map<String, String> headers)
            throws MessagingException, IOException {
        InternetAddress from = new InternetAddress(properties.from(), true);
        String messageId = newMessageId(from);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(from);
        message.setRecipient(MimeMessage.RecipientType.TO, to);
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(clock.instant()));
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setHeader("X-Auto-Response-Suppress", "All");
        message.setHeader(KIND_HEADER, kind);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }

        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative", plain, rich);
        message.setContent(alternative);
        message.saveChanges();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + html.length() + 2048);
        message.writeTo(bytes);
        return bytes.toByteArray();
    }

    private String newMessageId(InternetAddress from) {
        byte[] id = new byte[18];
        random.nextBytes(id);
        String address = from.getAddress();
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return "<todoke." + Base64.getUrlEncoder().withoutPadding().encodeToString(id) + "@" + domain + ">";
    }
}
