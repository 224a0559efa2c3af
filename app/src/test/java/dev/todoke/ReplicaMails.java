package dev.todoke;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Properties;

/**
 * Sending a mail with one attachment over SMTP to a running listener, and reading the decoded text of
 * captured mail (for the tests that run whole application instances).
 */
final class ReplicaMails {

    private ReplicaMails() {}

    static void send(int port, String from, String to, String subject, byte[] file) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see attached");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(file, "application/octet-stream");
        attachment.setFileName("figures.bin");
        message.setContent(new MimeMultipart(text, attachment));
        Transport.send(message);
    }

    /** The decoded subject. */
    static String subject(MimeMessage message) throws MessagingException {
        String subject = message.getSubject();
        return subject == null ? "" : subject;
    }

    /** Every decoded text part, concatenated; attachments are skipped. */
    static String text(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s + "\n";
        }
        if (content instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                all.append(text(child));
            }
            return all.toString();
        }
        return "";
    }
}
