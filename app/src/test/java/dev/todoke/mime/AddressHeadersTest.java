package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressHeadersTest {

    private static final Predicate<String> INTERNAL = a -> a.toLowerCase().endsWith("@corp.example");

    private static final String BODY = "Content-Type: text/plain; charset=UTF-8\r\n\r\nhello\r\n  \r\nend\r\n";

    @TempDir
    Path dir;

    private final MessageRewriter rewriter = new MessageRewriter(new Random(1));

    private Path write(String headers) throws Exception {
        Path file = dir.resolve("m-" + System.nanoTime() + ".eml");
        Files.write(file, (headers + BODY).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private String headerOnly(Path file, String recipient) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.writeHeaderOnly(
                file, new RewriteSpec(null, null, List.of(), null, new OnlyRecipient(recipient, INTERNAL)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> addresses(String value) {
        return AddressList.parse(value).stream()
                .map(AddressList.Mailbox::address)
                .toList();
    }

    @Test
    void parseWhenDisplayNamesQuotedCommasAndCommentsThenEveryAddressOnce() {
        String value = "\"Doe, John\" <john@a.example>, plain@b.example (a comment, with comma),"
                + " =?UTF-8?B?5bGx55Sw?= <yamada@c.example>, <@route.example:routed@d.example>,"
                + " \"quoted local\"@e.example, Name (c) < spaced @ f.example >";

        assertThat(addresses(value))
                .containsExactly(
                        "john@a.example",
                        "plain@b.example",
                        "yamada@c.example",
                        "routed@d.example",
                        "\"quoted local\"@e.example",
                        "spaced@f.example");
    }

    @Test
    void parseWhenGroupsThenMembersAndNoGroupName() {
        String value = "Team: a@x.example, \"B: b\" <b@y.example>;, undisclosed-recipients:;, c@z.example";

        assertThat(addresses(value)).containsExactly("a@x.example", "b@y.example", "c@z.example");
    }

    @Test
    void parseWhenItemHasNoAddressThenSkipped() {
        assertThat(addresses("just a name, , bob")).isEmpty();
    }

    @Test
    void toAndCcWhenFoldedFieldsAndBccThenAddressesOfToAndCcOnly() throws Exception {
        Path file = write("From: s@corp.example\r\nTo: \"One, First\" <one@out.example>,\r\n"
                + "\ttwo@out.example\r\nCc: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?=\r\n <three@out.example>\r\n"
                + "Bcc: hidden@out.example\r\nSubject: s\r\n");

        assertThat(AddressHeaders.toAndCc(file))
                .containsExactly("one@out.example", "two@out.example", "three@out.example");
    }

    @Test
    void writeHeaderOnlyWhenManyAddressesThenOwnToInternalCcNoBccAndBodyUnchanged() throws Exception {
        String headers = "From: Sender <s@corp.example>\r\n"
                + "To: \"Doe, John\" <john@out.example>, =?UTF-8?B?5bGx55Sw?= <yamada@out.example>,\r\n"
                + " Team: member@corp.example, other@out.example;\r\n"
                + "Subject: =?UTF-8?B?5qGI5YaF?=\r\n"
                + "Cc: =?UTF-8?B?5L2Q6Jek?= <sato@corp.example>, x@out.example\r\n"
                + "Bcc: hidden@out.example\r\nMIME-Version: 1.0\r\n";
        Path file = write(headers);

        String copy = headerOnly(file, "yamada@out.example");

        assertThat(copy)
                .startsWith("From: Sender <s@corp.example>\r\n"
                        + "To: =?UTF-8?B?5bGx55Sw?= <yamada@out.example>\r\n"
                        + "Cc: member@corp.example,\r\n =?UTF-8?B?5L2Q6Jek?= <sato@corp.example>\r\n"
                        + "Subject: =?UTF-8?B?5qGI5YaF?=\r\nMIME-Version: 1.0\r\n")
                .endsWith("\r\n" + BODY)
                .doesNotContain("john@", "other@", "x@out", "hidden@", "Bcc:");
    }

    @Test
    void writeHeaderOnlyWhenRecipientNotInHeaderAndNoInternalThenBareToAndNoCc() throws Exception {
        Path file = write("To: a@out.example, b@out.example\r\nCc: c@out.example\r\nSubject: s\r\n");

        String copy = headerOnly(file, "bcc-only@out.example");

        assertThat(copy).isEqualTo("To: bcc-only@out.example\r\nSubject: s\r\n" + BODY);
    }

    @Test
    void writeHeaderOnlyWhenRawUtf8AndLfLineEndsThenKeptOctetsUnchanged() throws Exception {
        Path file = dir.resolve("lf.eml");
        Files.write(
                file,
                "To: 山田 <yamada@out.example>, 佐藤 <sato@corp.example>\nSubject: s\n\nbody\n"
                        .getBytes(StandardCharsets.UTF_8));

        String copy = headerOnly(file, "YAMADA@out.example");

        assertThat(copy).isEqualTo("To: 山田 <yamada@out.example>\r\nCc: 佐藤 <sato@corp.example>\r\nSubject: s\n\nbody\n");
    }

    @Test
    void writeHeaderOnlyWhenManyLongInternalAddressesThenNoLineOver998() throws Exception {
        StringBuilder cc = new StringBuilder("Cc: ");
        for (int i = 0; i < 40; i++) {
            cc.append(i == 0 ? "" : ", ")
                    .append("\"")
                    .append("n".repeat(30))
                    .append(i)
                    .append("\" <person")
                    .append(i)
                    .append("@corp.example>");
        }
        char[] longName = new char[1200];
        Arrays.fill(longName, 'x');
        Path file = write("To: " + new String(longName) + " <long@corp.example>, a@out.example\r\n" + cc + "\r\n");

        String copy = headerOnly(file, "a@out.example");

        assertThat(copy.split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(copy).contains("To: a@out.example\r\n", "<person39@corp.example>", "<long@corp.example>");
        assertThat(AddressHeaders.toAndCc(writeCopy(copy)))
                .hasSize(42)
                .contains("a@out.example", "long@corp.example", "person0@corp.example");
    }

    private Path writeCopy(String copy) throws Exception {
        Path file = dir.resolve("copy.eml");
        Files.writeString(file, copy);
        return file;
    }

    @Test
    void writeWhenOnlyRecipientThenRewrittenCopyHasOnlyItsAddressesAndNoAttachment() throws Exception {
        String raw = "From: s@corp.example\r\nTo: a@out.example, b@out.example\r\nCc: c@corp.example\r\n"
                + "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pdf\r\n"
                + "Content-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n--b--\r\n";
        Path file = dir.resolve("att.eml");
        Files.writeString(file, raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        rewriter.write(
                new MimeParser(MimeLimits.defaults()).parse(file),
                new RewriteSpec(
                        "NOTICE",
                        "<p>NOTICE</p>",
                        List.of("X-Todoke-Kind: notice"),
                        null,
                        new OnlyRecipient("b@out.example", INTERNAL)),
                out);

        String copy = out.toString(StandardCharsets.UTF_8);
        assertThat(copy)
                .contains("To: b@out.example\r\nCc: c@corp.example\r\n", "X-Todoke-Kind: notice")
                .doesNotContain("a@out.example", "%PDF");
    }
}
