package dev.todoke.outbox;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;

/**
 * What the outbox page shows of one message: decoded headers, the text and HTML bodies, the names of
 * other parts, and every http(s) link found in the bodies. Built from the file on demand; bodies larger
 * than {@link #MAX_BODY} are not loaded.
 */
record OutboxMessageView(
        List<String[]> headers,
        String subject,
        String kind,
        List<String> textBodies,
        List<String> htmlBodies,
        List<String> otherParts,
        List<String> links,
        String problem) {

    static final int MAX_BODY = 2 * 1024 * 1024;
    private static final int MAX_DEPTH = 20;
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"'()]+");

    static OutboxMessageView read(Path file) {
        List<String[]> headers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> htmls = new ArrayList<>();
        List<String> others = new ArrayList<>();
        Set<String> links = new LinkedHashSet<>();
        String subject = "";
        String kind = "";
        String problem = null;
        try (SharedFileInputStream in = new SharedFileInputStream(file.toFile())) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            for (Header header : Collections.list(message.getAllHeaders())) {
                headers.add(new String[] {header.getName(), decode(header.getValue())});
            }
            subject = decode(message.getHeader("Subject", null));
            String kindHeader = message.getHeader("X-Todoke-Kind", null);
            kind = kindHeader == null ? "" : kindHeader.trim();
            walk(message, 0, texts, htmls, others);
        } catch (MessagingException | IOException | RuntimeException e) {
            problem = "This message could not be read completely: " + e.getMessage();
        }
        for (String html : htmls) {
            Matcher m = HREF.matcher(html);
            while (m.find()) {
                String href = HtmlUtils.htmlUnescape(m.group(2).trim());
                if (href.startsWith("http://") || href.startsWith("https://")) {
                    links.add(href);
                }
            }
        }
        for (String text : texts) {
            Matcher m = URL.matcher(text);
            while (m.find()) {
                links.add(m.group());
            }
        }
        return new OutboxMessageView(headers, subject, kind, texts, htmls, others, List.copyOf(links), problem);
    }

    /** Only subject and kind, from the header section (for the list). */
    static OutboxMessageView headersOnly(Path file) {
        try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            jakarta.mail.internet.InternetHeaders headers = new jakarta.mail.internet.InternetHeaders(in);
            String kind = headers.getHeader("X-Todoke-Kind", null);
            return new OutboxMessageView(
                    List.of(),
                    decode(headers.getHeader("Subject", null)),
                    kind == null ? "" : kind.trim(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null);
        } catch (MessagingException | IOException e) {
            return new OutboxMessageView(
                    List.of(), "(unreadable)", "", List.of(), List.of(), List.of(), List.of(), e.getMessage());
        }
    }

    private static void walk(Part part, int depth, List<String> texts, List<String> htmls, List<String> others)
            throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            others.add("(parts nested deeper than " + MAX_DEPTH + " levels not shown)");
            return;
        }
        String type = part.getContentType() == null ? "text/plain" : part.getContentType();
        ContentType contentType;
        try {
            contentType = new ContentType(type);
        } catch (MessagingException e) {
            contentType = new ContentType("application/octet-stream");
        }
        if (contentType.match("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, depth + 1, texts, htmls, others);
                }
            }
            return;
        }
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
        boolean text = contentType.match("text/plain") || contentType.match("text/html");
        if (attachment || !text) {
            String name = part.getFileName() == null ? "(no name)" : decode(part.getFileName());
            others.add(name + " — " + contentType.getBaseType().toLowerCase(Locale.ROOT) + ", " + part.getSize()
                    + " bytes (encoded)");
            return;
        }
        if (part.getSize() > MAX_BODY) {
            others.add("a " + contentType.getBaseType() + " body of " + part.getSize()
                    + " bytes, too large to show here (see the raw message)");
            return;
        }
        String body = readText(part, contentType);
        (contentType.match("text/html") ? htmls : texts).add(body);
    }

    private static String readText(Part part, ContentType contentType) throws MessagingException, IOException {
        Charset charset = StandardCharsets.UTF_8;
        String name = contentType.getParameter("charset");
        if (name != null) {
            try {
                charset = Charset.forName(MimeUtility.javaCharset(name));
            } catch (IllegalArgumentException e) {
                charset = StandardCharsets.ISO_8859_1;
            }
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readNBytes(MAX_BODY), charset);
        }
    }

    private static String decode(String value) {
        if (value == null) {
            return "";
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value));
        } catch (IOException | RuntimeException e) {
            return value;
        }
    }

    /** The HTML body for the sandboxed frame: links open in a new tab, outside the sandbox. */
    static String framed(String html) {
        return "<base target=\"_blank\">" + html;
    }
}
