package dev.todoke.gateway;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * GreenMail as Todoke's next hop, on a port that stays the same across {@link #stop()} and {@link
 * #start()}. Gives the bytes each recipient received, without the {@code Return-Path} and {@code
 * Received} lines GreenMail puts in front, and with the final CRLF that GreenMail drops from what it
 * stores (the CRLF before the terminating dot belongs to the message, RFC 5321 4.1.1.4).
 *
 * <p>GreenMail does not accept the null reverse-path {@code MAIL FROM:<>}: tests that use it as next
 * hop set {@code todoke.mail.envelope-from}.
 *
 * <p>Registered with {@code @RegisterExtension} on a static field, it is emptied before each test and
 * stopped after the class.
 */
final class NextHopCapture implements BeforeEachCallback, AfterAllCallback {

    private final int port;
    private GreenMail greenMail;

    NextHopCapture() {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    int port() {
        return port;
    }

    void start() {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    void stop() {
        greenMail.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    void reset() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every message received by the next hop, all recipients together. */
    int count() {
        return greenMail.getReceivedMessages().length;
    }

    /** The raw bytes of each message delivered to {@code address}, in order of arrival. */
    List<byte[]> rawFor(String address) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        List<byte[]> raw = new ArrayList<>();
        try {
            for (var stored :
                    greenMail.getManagers().getImapHostManager().getInbox(user).getMessages()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stored.getMimeMessage().writeTo(out);
                raw.add(withoutTraceLines(out.toByteArray()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return raw;
    }

    /** The messages delivered to {@code address}, parsed by Angus Mail from their raw bytes. */
    List<MimeMessage> messagesFor(String address) {
        return rawFor(address).stream().map(NextHopCapture::parse).toList();
    }

    static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withoutTraceLines(byte[] raw) {
        String head = new String(raw, 0, Math.min(raw.length, 4096), StandardCharsets.ISO_8859_1);
        int offset = 0;
        for (String name : new String[] {"Return-Path:", "Received:"}) {
            if (head.startsWith(name, offset)) {
                int end = head.indexOf("\r\n", offset);
                while (end >= 0
                        && end + 2 < head.length()
                        && (head.charAt(end + 2) == ' ' || head.charAt(end + 2) == '\t')) {
                    end = head.indexOf("\r\n", end + 2);
                }
                offset = end + 2;
            }
        }
        boolean crlf = raw.length >= 2 && raw[raw.length - 2] == '\r' && raw[raw.length - 1] == '\n';
        byte[] rest = new byte[raw.length - offset + (crlf ? 0 : 2)];
        System.arraycopy(raw, offset, rest, 0, raw.length - offset);
        if (!crlf) {
            rest[rest.length - 2] = '\r';
            rest[rest.length - 1] = '\n';
        }
        return rest;
    }
}
