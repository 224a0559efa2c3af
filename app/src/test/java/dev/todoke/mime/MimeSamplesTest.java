package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.testkit.Components;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message in ../shared/mime-samples goes through parse and rewrite, checked against Angus Mail as
 * an independent reader: attachments decode to the same bytes, the rewritten copy has no attachment
 * left, keeps every body text, carries the notice and is readable.
 */
class MimeSamplesTest {

    static final String NOTICE = "TODOKE-NOTICE 添付ファイルはリンクに置き換えられました";
    static final String NOTICE_HTML = "<p>TODOKE-NOTICE-HTML 添付ファイル</p>";

    private final MimeParser parser = new MimeParser(MimeLimits.defaults());
    private final MessageRewriter rewriter = new MessageRewriter(new Random(7));

    @TempDir
    Path temp;

    /** Where the independent reader itself cannot decode (broken base64 it refuses): reported, not failed. */
    private final List<String> notes = new ArrayList<>();

    static {
        // Angus reads these once per JVM; where another test loaded it first, the fallbacks below apply
        System.setProperty("mail.mime.parameters.strict", "false");
        System.setProperty("mail.mime.allowencodedmessages", "true");
    }

    static Session session() {
        Properties p = new Properties();
        p.setProperty("mail.mime.base64.ignoreerrors", "true");
        p.setProperty("mail.mime.ignoreunknownencoding", "true");
        p.setProperty("mail.mime.uudecode.ignoreerrors", "true");
        p.setProperty("mail.mime.uudecode.ignoremissingbeginend", "true");
        p.setProperty("mail.mime.multipart.allowempty", "true");
        p.setProperty("mail.mime.allowencodedmessages", "true");
        p.setProperty("mail.mime.parameters.strict", "false");
        return Session.getInstance(p);
    }

    static List<Path> samples() throws IOException {
        Path dir = Components.requireShared().resolve("mime-samples");
        List<Path> result = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("INDEX.tsv"))) {
            String path = line.split("\t")[0];
            if (!path.equals("path") && !path.isBlank()) {
                result.add(dir.resolve(path));
            }
        }
        return result;
    }

    @Test
    void parseAndWriteWhenRealSamplesThenAttachmentsMatchAngusAndRewriteIsClean() throws Exception {
        String lenient = System.getProperty("mail.mime.base64.ignoreerrors");
        System.setProperty("mail.mime.base64.ignoreerrors", "true");
        try {
            checkAllSamples();
        } finally {
            if (lenient == null) {
                System.clearProperty("mail.mime.base64.ignoreerrors");
            } else {
                System.setProperty("mail.mime.base64.ignoreerrors", lenient);
            }
        }
    }

    private void checkAllSamples() throws Exception {
        List<Path> samples = samples();
        Map<String, Integer> rejected = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> rejectedNames = new ArrayList<>();
        notes.clear();
        int processed = 0;
        int attachments = 0;
        Map<Security, Integer> security = new TreeMap<>();
        for (Path sample : samples) {
            String name = sample.getParent().getFileName() + "/" + sample.getFileName();
            ParsedMessage parsed;
            try {
                parsed = parser.parse(sample);
            } catch (MimeRejectedException e) {
                rejected.merge(e.reason(), 1, Integer::sum);
                rejectedNames.add(name + ": " + e.reason());
                continue;
            }
            processed++;
            attachments += parsed.attachments().size();
            security.merge(parsed.security(), 1, Integer::sum);
            try {
                check(sample, parsed, problems, name);
            } catch (Exception | AssertionError e) {
                problems.add(name + ": " + e);
            }
        }
        StringBuilder summary = new StringBuilder();
        summary.append("MIME samples: ")
                .append(samples.size())
                .append(" total, ")
                .append(processed)
                .append(" processed (")
                .append(attachments)
                .append(" attachments; ")
                .append(security)
                .append("), ")
                .append(samples.size() - processed)
                .append(" rejected\n");
        rejected.forEach((reason, count) -> summary.append("  rejected ")
                .append(count)
                .append("x: ")
                .append(reason)
                .append('\n'));
        rejectedNames.forEach(p -> summary.append("  rejected ").append(p).append('\n'));
        notes.forEach(p -> summary.append("  note: ").append(p).append('\n'));
        problems.forEach(p -> summary.append("  PROBLEM ").append(p).append('\n'));
        System.out.println(summary);
        assertThat(problems).as(summary.toString()).isEmpty();
        assertThat(processed).isGreaterThan(samples.size() * 3 / 4);
    }

    private void check(Path sample, ParsedMessage parsed, List<String> problems, String name) throws Exception {
        Session session = session();
        MimeMessage original;
        try (InputStream in = Files.newInputStream(sample)) {
            original = new MimeMessage(session, in);
            original.getContent();
        } catch (ParseException e) {
            notes.add(name + ": Angus refuses the original (" + e.getMessage().replaceAll("\\s+", " ")
                    + "); checked with our own parser only");
            original = null;
        }
        Set<String> attachmentHashes = new HashSet<>();
        for (Attachment a : parsed.attachments()) {
            assertThat(a.fileName()).isNotBlank();
            byte[] ours;
            try (InputStream in = a.openDecoded()) {
                ours = in.readAllBytes();
            }
            String path = ((PartAttachment) a).path();
            if (original == null) {
                continue;
            }
            Part angusPart = partAt(original, path);
            if (angusPart == null) {
                if (readDifferently(((PartAttachment) a).part())) {
                    notes.add(name + ": Angus reads the structure differently, no part at " + path);
                } else {
                    problems.add(name + ": Angus has no part at " + path);
                }
                continue;
            }
            byte[] theirs;
            try (InputStream in = angusPart.isMimeType("message/*") && angusPart instanceof MimePart mp
                    ? MimeUtility.decode(raw(angusPart), mp.getEncoding() == null ? "7bit" : mp.getEncoding())
                    : angusPart.getInputStream()) {
                theirs = in.readAllBytes();
            } catch (IOException e) {
                notes.add(name + ": Angus cannot decode attachment " + a.ordinal() + " (" + e.getMessage() + ")");
                continue;
            }
            if (!java.util.Arrays.equals(ours, theirs) && !wellFormed(angusPart)) {
                notes.add(
                        name + ": attachment " + a.ordinal() + " has malformed " + ((MimePart) angusPart).getEncoding()
                                + "; decoders differ (" + ours.length + " and " + theirs.length + " bytes)");
            } else if (!java.util.Arrays.equals(ours, theirs)) {
                problems.add(name + ": attachment " + a.ordinal() + " at " + path + " (" + a.contentType()
                        + ") decodes to " + ours.length + " bytes, Angus " + theirs.length);
            }
            if (ours.length > 0) {
                attachmentHashes.add(sha256(ours));
            }
        }
        // body texts of the original, as Angus reads them
        List<String> bodyTexts = new ArrayList<>();
        Set<String> keptHashes = new HashSet<>();
        if (original != null) {
            collectKept(parsed.root(), original, bodyTexts, keptHashes);
        }
        attachmentHashes.removeAll(keptHashes);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RewriteSpec spec =
                new RewriteSpec(NOTICE, NOTICE_HTML, List.of("X-Todoke-Kind: notice"), n -> n.startsWith("x-todoke-"));
        rewriter.write(parsed, spec, out);
        byte[] rewritten = out.toByteArray();
        Path copy = temp.resolve("rewritten.eml");
        Files.write(copy, rewritten);
        String dump = System.getenv("TODOKE_MIME_DUMP");
        if (dump != null) {
            Files.createDirectories(Path.of(dump));
            Files.write(Path.of(dump, name.replace('/', '_')), rewritten);
        }

        ParsedMessage again;
        try {
            again = parser.parse(copy);
        } catch (MimeRejectedException e) {
            problems.add(name + ": the rewritten copy is rejected: " + e.reason());
            return;
        }
        if (parsed.security() == Security.ENCRYPTED) {
            assertThat(rewritten).as(name).isNotEmpty();
            return;
        }
        if (!again.attachments().isEmpty()) {
            problems.add(name + ": rewritten copy still has attachments " + again.attachments());
        }
        if (original != null) {
            checkAgainstReference(name, original, parsed, rewritten, keptHashes, problems);
        }
        if (original == null) {
            if (!new String(rewritten, StandardCharsets.ISO_8859_1).contains("X-Todoke-Kind: notice")) {
                problems.add(name + ": header missing");
            }
            return;
        }
        MimeMessage result = new MimeMessage(session, new ByteArrayInputStream(rewritten));
        assertThat(result.getHeader("X-Todoke-Kind")).containsExactly("notice");
        StringBuilder allText = new StringBuilder();
        List<String> leafHashes = new ArrayList<>();
        walk(result, allText, leafHashes);
        for (String hash : leafHashes) {
            if (attachmentHashes.contains(hash)) {
                problems.add(name + ": an attachment's content is still in the rewritten copy");
            }
        }
        String text = normalize(allText.toString());
        if (!text.contains("TODOKE-NOTICE")) {
            problems.add(name + ": notice missing in the rewritten copy");
        }
        for (String body : bodyTexts) {
            for (String line : body.split("\r?\n")) {
                String l = normalize(line);
                if (l.isEmpty() || line.indexOf('\uFFFD') >= 0) {
                    continue;
                }
                if (!text.contains(l)) {
                    problems.add(name + ": body text lost: " + abbreviate(l));
                    break;
                }
            }
        }
    }

    /**
     * Every file Angus shows as attached is one of ours (same bytes, same name where Angus reads a clean
     * one), and no run of it, decoded or encoded, is in the rewritten copy.
     */
    private void checkAgainstReference(
            String name,
            MimeMessage original,
            ParsedMessage parsed,
            byte[] rewritten,
            Set<String> keptHashes,
            List<String> problems)
            throws Exception {
        Map<String, List<String>> ours = new java.util.HashMap<>();
        for (Attachment a : parsed.attachments()) {
            try (InputStream in = a.openDecoded()) {
                ours.computeIfAbsent(sha256(in.readAllBytes()), k -> new ArrayList<>())
                        .add(a.fileName());
            }
        }
        for (AngusReference.File file : AngusReference.attachments(original)) {
            if (file.content() == null) {
                continue; // Angus cannot decode it: nothing to compare with
            }
            String label = file.contentType() + " " + file.name() + " (" + file.content().length + " bytes)";
            String sha = sha256(file.content());
            List<String> served = ours.get(sha);
            if (served == null) {
                problems.add(name + ": attached file not offered for download: " + label);
            } else if (served.stream().noneMatch(n -> AngusReference.sameName(file, n))) {
                problems.add(name + ": attached file offered as " + served + ", not as " + label);
            }
            String trace = keptHashes.contains(sha) ? null : AngusReference.trace(rewritten, file);
            if (trace != null) {
                problems.add(name + ": the rewritten copy holds " + trace + " of " + label);
            }
        }
    }

    /** Parts under a top-level wrapper or a header section without its empty line: readers differ there. */
    private static boolean readDifferently(dev.todoke.mime.Part part) {
        for (dev.todoke.mime.Part p = part; p != null; p = p.parent) {
            if (p.wrapper || p.headerCut) {
                return true;
            }
        }
        return false;
    }

    /** Base64 with only alphabet characters and a length that is a multiple of 4; any other encoding. */
    private static boolean wellFormed(Part part) throws Exception {
        if (!(part instanceof MimePart mp)
                || !"base64".equalsIgnoreCase(String.valueOf(mp.getEncoding()).trim())) {
            return true;
        }
        String body;
        try (InputStream in = raw(part)) {
            body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replaceAll("\\s", "");
        }
        return body.matches("[A-Za-z0-9+/]*={0,2}") && body.length() % 4 == 0;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static String stripTags(String html) {
        return html.replaceAll("(?s)<[^>]*>", " ");
    }

    static String normalize(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** Texts of the original's body parts (Angus' decoding) and hashes of all kept leaves. */
    private void collectKept(dev.todoke.mime.Part part, MimeMessage original, List<String> texts, Set<String> kept)
            throws Exception {
        if (part.isMultipart()) {
            for (dev.todoke.mime.Part child : part.children) {
                collectKept(child, original, texts, kept);
            }
            return;
        }
        if (part.role == dev.todoke.mime.Part.Role.ATTACHMENT) {
            return;
        }
        Part angus = partAt(original, part.path);
        if (angus == null) {
            return;
        }
        try (InputStream in = angus.getInputStream()) {
            kept.add(sha256(in.readAllBytes()));
        } catch (IOException | MessagingException e) {
            return;
        }
        if (part.role == dev.todoke.mime.Part.Role.BODY
                && !part.opaque
                && (part.baseType().equals("text/plain") || part.baseType().equals("text/html"))) {
            try {
                Object content = angus.getContent();
                if (content instanceof String s) {
                    texts.add(part.baseType().equals("text/html") ? stripTags(s) : s);
                }
            } catch (IOException | MessagingException e) {
                // unknown charset: Angus cannot give text to compare with
            }
        }
    }

    private void walk(Part part, StringBuilder text, List<String> hashes) throws Exception {
        Object content;
        if (part.isMimeType("multipart/*")) {
            content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    walk(mp.getBodyPart(i), text, hashes);
                }
                return;
            }
        }
        try (InputStream in = part.getInputStream()) {
            hashes.add(sha256(in.readAllBytes()));
        } catch (IOException e) {
            return; // a kept part with broken encoding, copied as it was
        }
        if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
            Object c = part.getContent();
            if (c instanceof String s) {
                text.append(part.isMimeType("text/html") ? stripTags(s) : s).append('\n');
            }
        }
    }

    static InputStream raw(Part part) throws MessagingException {
        if (part instanceof MimeMessage m) {
            return m.getRawInputStream();
        }
        return ((jakarta.mail.internet.MimeBodyPart) part).getRawInputStream();
    }

    /** The Angus part at one of our paths ("0", "0.1", "0.1.0"), or null. */
    static Part partAt(MimeMessage message, String path) throws Exception {
        String[] steps = path.split("\\.");
        Part current = message;
        for (int i = 1; i < steps.length; i++) {
            Object content = current.getContent();
            if (content instanceof MimeMessage inner && steps[i].equals("0")) {
                current = inner; // the message a top-level message/rfc822 encloses
                continue;
            }
            if (!(content instanceof Multipart mp)) {
                return null;
            }
            int index = Integer.parseInt(steps[i]);
            if (index >= mp.getCount()) {
                return null;
            }
            BodyPart next = mp.getBodyPart(index);
            current = next;
        }
        return current;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
