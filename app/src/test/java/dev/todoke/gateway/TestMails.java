package dev.todoke.gateway;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/** Test mail built with Angus Mail, and reading mail back the way a recipient's client would. */
final class TestMails {

    private TestMails() {}

    /** A builder for a mail with a text and HTML body and any number of attachments. */
    static final class Builder {
        private String from = "Sender Name <sender@example.jp>";
        private final List<String> to = new ArrayList<>();
        private final List<String> cc = new ArrayList<>();
        private String subject = "見積書の送付 / Quotation";
        private String text = "いつもお世話になっております。\r\n見積書を添付します。\r\n";
        private String html = "<p>いつもお世話になっております。</p><p>見積書を添付します。</p>";
        private String textCharset = "UTF-8";
        private final Map<String, byte[]> attachments = new LinkedHashMap<>();
        private final List<String> extraHeaders = new ArrayList<>();

        Builder to(String... addresses) {
            to.addAll(List.of(addresses));
            return this;
        }

        Builder cc(String... addresses) {
            cc.addAll(List.of(addresses));
            return this;
        }

        Builder subject(String value) {
            subject = value;
            return this;
        }

        /** The text/plain body, in this charset (for example ISO-2022-JP). */
        Builder text(String value, String charset) {
            text = value;
            textCharset = charset;
            return this;
        }

        Builder html(String value) {
            html = value;
            return this;
        }

        Builder attach(String name, byte[] content) {
            attachments.put(name, content);
            return this;
        }

        Builder header(String line) {
            extraHeaders.add(line);
            return this;
        }

        byte[] build() throws Exception {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
            message.setFrom(new InternetAddress(from));
            for (String a : to) {
                message.addRecipient(MimeMessage.RecipientType.TO, new InternetAddress(a));
            }
            for (String a : cc) {
                message.addRecipient(MimeMessage.RecipientType.CC, new InternetAddress(a));
            }
            message.setSubject(subject, "UTF-8");
            message.setSentDate(new Date(1_795_000_000_000L));
            for (String line : extraHeaders) {
                int colon = line.indexOf(':');
                message.addHeader(
                        line.substring(0, colon), line.substring(colon + 1).trim());
            }
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, textCharset);
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, "UTF-8", "html");
            MimeMultipart alternative = new MimeMultipart("alternative", plain, rich);
            if (attachments.isEmpty()) {
                message.setContent(alternative);
            } else {
                MimeBodyPart body = new MimeBodyPart();
                body.setContent(alternative);
                MimeMultipart mixed = new MimeMultipart("mixed", body);
                for (Map.Entry<String, byte[]> a : attachments.entrySet()) {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setDataHandler(
                            new DataHandler(new ByteArrayDataSource(a.getValue(), contentType(a.getKey()))));
                    part.setFileName(MimeUtility.encodeText(a.getKey(), "UTF-8", "B"));
                    part.setDisposition(Part.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                message.setContent(mixed);
            }
            message.saveChanges();
            message.setHeader("Message-ID", "<test." + System.nanoTime() + "@example.jp>");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        }

        private static String contentType(String name) {
            if (name.endsWith(".pdf")) {
                return "application/pdf";
            }
            if (name.endsWith(".csv")) {
                return "text/csv";
            }
            return "application/octet-stream";
        }
    }

    static Builder mail() {
        return new Builder();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A leaf part as a mail client sees it: type, file name if any, decoded bytes. */
    record Leaf(String contentType, String fileName, String disposition, byte[] content, boolean broken) {}

    /**
     * The part's content decoded from its raw bytes by its Content-Transfer-Encoding (what a client
     * saves), not through a content handler.
     */
    private static byte[] decoded(Part part) throws IOException, MessagingException {
        InputStream raw = null;
        if (part instanceof MimeMessage message) {
            raw = message.getRawInputStream();
        } else if (part instanceof MimeBodyPart body) {
            raw = body.getRawInputStream();
        }
        if (raw != null) {
            String encoding = ((MimePart) part).getEncoding();
            try (InputStream in = MimeUtility.decode(raw, encoding == null ? "7bit" : encoding.trim())) {
                return in.readAllBytes();
            } catch (MessagingException unknownEncoding) {
                // fall through to the content handler's view
            }
        }
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** Every leaf part of a parsed message, depth first, decoded by Angus Mail. */
    static List<Leaf> leaves(Part part) throws Exception {
        List<Leaf> leaves = new ArrayList<>();
        collect(part, leaves, 0);
        return leaves;
    }

    private static void collect(Part part, List<Leaf> leaves, int depth) throws Exception {
        if (depth > 50) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child, leaves, depth + 1);
                }
                return;
            }
        }
        if (depth == 0 && part instanceof MimeMessage whole && encapsulates(whole)) {
            // a whole message that is one enclosed message (or its first fragment): the files are inside
            collect(new MimeMessage(null, whole.getRawInputStream()), leaves, depth + 1);
            return;
        }
        String fileName;
        try {
            fileName = part.getFileName();
            if (fileName != null) {
                fileName = MimeUtility.decodeText(fileName);
            }
        } catch (Exception e) {
            fileName = null;
        }
        String disposition;
        try {
            disposition = part.getDisposition();
        } catch (Exception e) {
            disposition = null;
        }
        byte[] content;
        boolean broken = false;
        String lenient = System.getProperty("mail.mime.base64.ignoreerrors");
        try {
            System.setProperty("mail.mime.base64.ignoreerrors", "false");
            content = decoded(part);
        } catch (IOException | MessagingException e) {
            broken = true;
            System.setProperty("mail.mime.base64.ignoreerrors", "true");
            content = decoded(part);
        } finally {
            if (lenient == null) {
                System.clearProperty("mail.mime.base64.ignoreerrors");
            } else {
                System.setProperty("mail.mime.base64.ignoreerrors", lenient);
            }
        }
        leaves.add(new Leaf(part.getContentType(), fileName, disposition, content, broken));
    }

    private static boolean encapsulates(MimeMessage message) throws MessagingException {
        if (message.isMimeType("message/rfc822") || message.isMimeType("message/global")) {
            return true;
        }
        if (!message.isMimeType("message/partial")) {
            return false;
        }
        String number = new jakarta.mail.internet.ContentType(message.getContentType()).getParameter("number");
        return "1".equals(number == null ? null : number.trim());
    }

    /** All text of a message's text/plain and text/html leaves, decoded, in one string. */
    static String allText(Part part) throws Exception {
        StringBuilder text = new StringBuilder();
        appendText(part, text, 0);
        return text.toString();
    }

    private static void appendText(Part part, StringBuilder text, int depth) throws Exception {
        if (depth > 50) {
            return;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                appendText(multipart.getBodyPart(i), text, depth + 1);
            }
        } else if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
            Object content = part.getContent();
            if (content instanceof String s) {
                text.append(s).append('\n');
            }
        }
    }

    /** The bytes as an MTA sends them: bare LF made CRLF, a final CRLF added. */
    static byte[] asSent(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 40 + 2);
        int previous = -1;
        for (byte b : raw) {
            if (b == '\n' && previous != '\r') {
                out.write('\r');
            }
            out.write(b);
            previous = b;
        }
        if (previous != '\n') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
