package dev.todoke.mime;

import static dev.todoke.mime.TestMessages.base64Lines;
import static dev.todoke.mime.TestMessages.encodedWord;
import static dev.todoke.mime.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MimeParserTest {

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(MimeLimits.defaults());

    private ParsedMessage parse(TestMessages message) throws Exception {
        return parser.parse(message.write(dir));
    }

    private static TestMessages withAttachment(String... attachmentHeaders) {
        List<String> part = new ArrayList<>(List.of(attachmentHeaders));
        part.add("Content-Transfer-Encoding: base64");
        part.add("");
        part.add("SGVsbG8=");
        return message()
                .headers("test")
                .line("Content-Type: multipart/mixed; boundary=\"b1\"", "", "preamble")
                .part("b1", "Content-Type: text/plain; charset=UTF-8", "", "本文です")
                .part("b1", part.toArray(String[]::new))
                .close("b1");
    }

    private String onlyName(String... attachmentHeaders) throws Exception {
        ParsedMessage parsed = parse(withAttachment(attachmentHeaders));
        assertThat(parsed.attachments()).hasSize(1);
        return parsed.attachments().get(0).fileName();
    }

    @Test
    void fileNameWhenRfc2231ContinuationsThenJapaneseNameJoined() throws Exception {
        String name = onlyName(
                "Content-Type: application/pdf",
                "Content-Disposition: attachment;",
                " filename*0*=UTF-8''%E8%A6%8B%E7%A9%8D;",
                " filename*1*=%E6%9B%B8%E3%80%80%E7%AC%AC2%E7%89%88;",
                " filename*2=.pdf");
        assertThat(name).isEqualTo("見積書　第2版.pdf");
    }

    @Test
    void fileNameWhenRfc2231SingleValueThenDecoded() throws Exception {
        assertThat(onlyName(
                        "Content-Type: application/pdf",
                        "Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf"))
                .isEqualTo("請求書.pdf");
    }

    @Test
    void fileNameWhenIso2022JpEncodedWordInQuotedNameThenDecoded() throws Exception {
        String word = encodedWord("御見積書.xlsx", "ISO-2022-JP");
        assertThat(onlyName(
                        "Content-Type: application/octet-stream; name=\"" + word + "\"",
                        "Content-Disposition: attachment; filename=\"" + word + "\""))
                .isEqualTo("御見積書.xlsx");
    }

    @Test
    void fileNameWhenShiftJisEncodedWordThenDecoded() throws Exception {
        String word = encodedWord("資料①.docx", "Shift_JIS".equals("x") ? "" : "windows-31j")
                .replace("windows-31j", "Shift_JIS");
        assertThat(onlyName("Content-Type: application/msword; name=" + word)).isEqualTo("資料①.docx");
    }

    @Test
    void fileNameWhenUtf8QEncodedWordThenDecoded() throws Exception {
        assertThat(onlyName("Content-Type: text/plain; name=\"=?UTF-8?Q?=E3=83=A1=E3=83=A2_memo.txt?=\""))
                .isEqualTo("メモ memo.txt");
    }

    @Test
    void fileNameWhenLongNameSplitAcrossEncodedWordsMidCharacterThenJoined() throws Exception {
        byte[] utf8 = "とても長い日本語のファイル名の報告書２０２６年度.pdf".getBytes(StandardCharsets.UTF_8);
        byte[] first = Arrays.copyOfRange(utf8, 0, 20); // cuts a 3-byte character
        byte[] second = Arrays.copyOfRange(utf8, 20, utf8.length);
        String name = "=?UTF-8?B?" + TestMessages.b64(first) + "?=\r\n =?UTF-8?B?" + TestMessages.b64(second) + "?=";
        assertThat(onlyName(
                        "Content-Type: application/pdf", "Content-Disposition: attachment; filename=\"" + name + "\""))
                .isEqualTo("とても長い日本語のファイル名の報告書２０２６年度.pdf");
    }

    @Test
    void fileNameWhenIso2022JpSplitAcrossWordsThenJoined() throws Exception {
        String a = encodedWord("提案書_", "ISO-2022-JP");
        String b = encodedWord("最終版.pptx", "ISO-2022-JP");
        assertThat(onlyName("Content-Type: application/octet-stream; name=\"" + a + " " + b + "\""))
                .isEqualTo("提案書_最終版.pptx");
    }

    @Test
    void fileNameWhenPathAndControlCharactersThenSanitized() throws Exception {
        assertThat(onlyName(
                        "Content-Type: application/octet-stream",
                        "Content-Disposition: attachment; filename=\"..\\\\..\\\\evil\u0007.exe\""))
                .isEqualTo("evil.exe");
        assertThat(onlyName(
                        "Content-Type: application/octet-stream",
                        "Content-Disposition: attachment; filename=\"../../etc/passwd\""))
                .isEqualTo("passwd");
    }

    @Test
    void fileNameWhenUnnamedThenGeneratedFromContentType() throws Exception {
        assertThat(onlyName("Content-Type: application/pdf")).isEqualTo("attachment-1.pdf");
        assertThat(onlyName("Content-Type: application/x-unknown")).isEqualTo("attachment-1.bin");
    }

    @Test
    void attachmentsWhenMixedPartsThenClassifiedByRules() throws Exception {
        TestMessages m = message()
                .headers("classify")
                .line("Content-Type: multipart/mixed; boundary=\"outer\"", "")
                .part("outer", "Content-Type: multipart/related; boundary=\"rel\"", "")
                .part("rel", "Content-Type: multipart/alternative; boundary=\"alt\"", "")
                .part("alt", "Content-Type: text/plain; charset=UTF-8", "", "plain body")
                .part(
                        "alt",
                        "Content-Type: text/html; charset=UTF-8",
                        "",
                        "<html><body><img src=\"cid:logo@x\">html body</body></html>")
                .part(
                        "alt",
                        "Content-Type: text/calendar; method=REQUEST; charset=UTF-8",
                        "",
                        "BEGIN:VCALENDAR",
                        "END:VCALENDAR")
                .close("alt")
                .part(
                        "rel",
                        "Content-Type: image/png; name=\"logo.png\"",
                        "Content-ID: <logo@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "iVBORw0KGgo=")
                .part(
                        "rel",
                        "Content-Type: image/gif",
                        "Content-ID: <unused@x>",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "R0lGODlh")
                .close("rel")
                .part(
                        "outer",
                        "Content-Type: text/plain; charset=UTF-8",
                        "Content-Disposition: attachment; filename=\"notes.txt\"",
                        "",
                        "a text file")
                .part(
                        "outer",
                        "Content-Type: application/ms-tnef; name=\"winmail.dat\"",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "eJ8+IgEA")
                .part(
                        "outer",
                        "Content-Type: message/rfc822",
                        "",
                        "Subject: =?UTF-8?B?" + TestMessages.b64("転送: 会議".getBytes(StandardCharsets.UTF_8)) + "?=",
                        "From: a@b",
                        "",
                        "inner body")
                .part(
                        "outer",
                        "Content-Type: text/plain; charset=UTF-8",
                        "Content-Disposition: inline",
                        "",
                        "trailing inline text")
                .close("outer");
        ParsedMessage parsed = parse(m);
        assertThat(parsed.security()).isEqualTo(Security.NONE);
        assertThat(parsed.attachments())
                .extracting(Attachment::fileName)
                .containsExactly("attachment-1.gif", "notes.txt", "winmail.dat", "転送: 会議.eml");
        assertThat(parsed.attachments()).extracting(Attachment::ordinal).containsExactly(0, 1, 2, 3);
        assertThat(parsed.attachments())
                .extracting(Attachment::contentType)
                .containsExactly("image/gif", "text/plain", "application/ms-tnef", "message/rfc822");
        try (InputStream in = parsed.attachments().get(3).openDecoded()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).endsWith("inner body");
        }
        assertThat(parsed.hasAttachments()).isTrue();
    }

    @Test
    void headersWhenEncodedThenDecodedAndEmptyWhenAbsent() throws Exception {
        ParsedMessage parsed = parse(message()
                .line(
                        "From: =?ISO-2022-JP?B?" + TestMessages.b64("山田".getBytes("ISO-2022-JP"))
                                + "?= <yamada@example.co.jp>",
                        "Subject: =?UTF-8?B?" + TestMessages.b64("ご確認ください".getBytes(StandardCharsets.UTF_8)) + "?=",
                        "  =?UTF-8?Q?=EF=BC=81?=",
                        "",
                        "body"));
        assertThat(parsed.subject()).isEqualTo("ご確認ください！");
        assertThat(parsed.from()).isEqualTo("山田 <yamada@example.co.jp>");
        assertThat(parsed.messageId()).isEmpty();
        assertThat(parsed.header("subject")).isPresent();
        assertThat(parsed.hasAttachments()).isFalse();
    }

    @Test
    void securityWhenSignedThenSignedAndSignatureIsNoAttachment() throws Exception {
        ParsedMessage parsed = parse(TestMessages.signedWithPdf("Content-Type: text/plain", "signed body"));
        assertThat(parsed.security()).isEqualTo(Security.SIGNED);
        assertThat(parsed.attachments()).extracting(Attachment::fileName).containsExactly("a.pdf");
    }

    @Test
    void parseWhenLfOnlyAndCloseBoundaryMissingThenLenient() throws Exception {
        ParsedMessage parsed = parse(message()
                .lf()
                .headers("lf")
                .line("Content-Type: multipart/mixed; boundary=b", "")
                .part("b", "Content-Type: text/plain", "", "body")
                .part(
                        "b",
                        "Content-Type: application/zip; name=x.zip",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "UEsDBA=="));
        assertThat(parsed.attachments()).hasSize(1);
        try (InputStream in = parsed.attachments().get(0).openDecoded()) {
            assertThat(in.readAllBytes()).containsExactly('P', 'K', 3, 4);
        }
    }

    @Test
    void openDecodedWhenBase64HasOddLinesAndGarbageThenIgnoredPerRfc2045() throws Exception {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        String b64 = TestMessages.b64(data);
        List<String> lines = new ArrayList<>();
        Random random = new Random(2);
        int i = 0;
        while (i < b64.length()) {
            int n = Math.min(b64.length() - i, 1 + random.nextInt(90)); // not multiples of 4
            lines.add(b64.substring(i, i + n) + (random.nextInt(10) == 0 ? " \t!*" : ""));
            i += n;
        }
        List<String> part = new ArrayList<>(
                List.of("Content-Type: application/octet-stream; name=r.bin", "Content-Transfer-Encoding: base64", ""));
        part.addAll(lines);
        ParsedMessage parsed = parse(message()
                .headers("b64")
                .line("Content-Type: multipart/mixed; boundary=b", "")
                .part("b", "Content-Type: text/plain", "", "body")
                .part("b", part.toArray(String[]::new))
                .close("b"));
        try (InputStream in = parsed.attachments().get(0).openDecoded()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void openDecodedWhenQuotedPrintableThenDecoded() throws Exception {
        ParsedMessage parsed = parse(message()
                .headers("qp")
                .line("Content-Type: multipart/mixed; boundary=b", "")
                .part("b", "Content-Type: text/plain", "", "body")
                .part(
                        "b",
                        "Content-Type: text/plain; name=q.txt; charset=UTF-8",
                        "Content-Transfer-Encoding: quoted-printable",
                        "",
                        "caf=C3=A9 soft=",
                        "break   ",
                        "a=3Db =ZZ")
                .close("b"));
        try (InputStream in = parsed.attachments().get(0).openDecoded()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("café softbreak\r\na=b =ZZ");
        }
    }

    @Test
    void parseWhenNestedTooDeepThenRejected() throws Exception {
        TestMessages m = message().headers("deep");
        int depth = 25;
        m.line("Content-Type: multipart/mixed; boundary=d0", "");
        for (int i = 1; i < depth; i++) {
            m.part("d" + (i - 1), "Content-Type: multipart/mixed; boundary=d" + i, "");
        }
        m.part("d" + (depth - 1), "Content-Type: text/plain", "", "x");
        assertRejected(m, "deeper than 20 levels");
    }

    @Test
    void parseWhenTooManyPartsThenRejected() throws Exception {
        TestMessages m = message().headers("parts").line("Content-Type: multipart/mixed; boundary=p", "");
        for (int i = 0; i < 600; i++) {
            m.part("p", "Content-Type: text/plain", "", "x" + i);
        }
        m.close("p");
        assertRejected(m, "more than 500 MIME parts");
    }

    @Test
    void parseWhenHeaderBombThenRejected() throws Exception {
        TestMessages m = message().headers("bomb");
        String filler = "x".repeat(900);
        for (int i = 0; i < 400; i++) {
            m.line("X-Filler-" + i + ": " + filler);
        }
        m.line("", "body");
        assertRejected(m, "header section larger than");
    }

    @Test
    void parseWhenLineTooLongThenRejected() throws Exception {
        assertRejected(message().headers("long").line("", "y".repeat(70_000)), "line longer than");
    }

    @Test
    void parseWhenPartsFollowTheCloseDelimiterThenRejected() throws Exception {
        assertRejected(
                message()
                        .headers("smuggled")
                        .line("Content-Type: multipart/mixed; boundary=b", "")
                        .part("b", "Content-Type: text/plain", "", "body")
                        .close("b")
                        .part("b", "Content-Type: application/pdf; name=hidden.pdf", "", "JVBERi0=")
                        .close("b"),
                "after a closing boundary");
    }

    @Test
    void parseWhenCloseDelimiterRepeatedThenAccepted() throws Exception {
        ParsedMessage parsed = parse(message()
                .headers("twice")
                .line("Content-Type: multipart/mixed; boundary=b", "")
                .part("b", "Content-Type: text/plain", "", "body")
                .close("b")
                .close("b"));
        assertThat(parsed.attachments()).isEmpty();
    }

    @Test
    void parseWhenBoundaryNeverAppearsAndOnlyTextThenKeptAsBody() throws Exception {
        ParsedMessage parsed = parse(message()
                .headers("no parts")
                .line("Content-Type: multipart/alternative; boundary=x", "", "just some text"));
        assertThat(parsed.attachments()).isEmpty();
    }

    @Test
    void parseWhenSingleNonTextTopLevelThenWholeMessageIsAttachment() throws Exception {
        ParsedMessage parsed = parse(message()
                .headers("single")
                .line("Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "")
                .line(base64Lines("%PDF-1.4".getBytes(StandardCharsets.US_ASCII))));
        assertThat(parsed.attachments()).extracting(Attachment::fileName).containsExactly("attachment-1.pdf");
    }

    private void assertRejected(TestMessages m, String reasonPart) throws Exception {
        Path file = m.write(dir);
        assertThatThrownBy(() -> parser.parse(file))
                .isInstanceOf(MimeRejectedException.class)
                .satisfies(e -> assertThat(((MimeRejectedException) e).reason())
                        .contains(reasonPart)
                        .doesNotContain("\n"));
    }

    @Test
    void parseAndWriteWhenSamplesTruncatedOrMutatedThenOnlyRejectionOrIoException() throws Exception {
        List<Path> samples = MimeSamplesTest.samples();
        Random random = new Random(42);
        MessageRewriter rewriter = new MessageRewriter(new Random(1));
        RewriteSpec spec = new RewriteSpec("n", "<p>n</p>", List.of("X-Todoke-Kind: notice"), h -> false);
        int runs = 0;
        for (Path sample : samples) {
            byte[] original = java.nio.file.Files.readAllBytes(sample);
            if (original.length > 200_000) {
                continue;
            }
            for (int round = 0; round < 4; round++) {
                byte[] mutated = mutate(original, random);
                Path file = dir.resolve("fuzz.eml");
                java.nio.file.Files.write(file, mutated);
                try {
                    ParsedMessage parsed = parser.parse(file);
                    for (Attachment a : parsed.attachments()) {
                        try (InputStream in = a.openDecoded()) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    }
                    rewriter.write(parsed, spec, java.io.OutputStream.nullOutputStream());
                } catch (MimeRejectedException e) {
                    assertThat(e.reason()).isNotBlank();
                }
                runs++;
            }
        }
        assertThat(runs).isGreaterThan(100);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(20); i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                for (int i = 0; i < 1 + random.nextInt(10); i++) {
                    String specials = "-\r\n=?\";*'%:";
                    b[random.nextInt(b.length)] = (byte) specials.charAt(random.nextInt(specials.length()));
                }
            }
            default -> {
                int from = random.nextInt(b.length);
                int to = Math.min(b.length, from + random.nextInt(2000));
                byte[] cut = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, cut, 0, from);
                System.arraycopy(b, to, cut, from, b.length - to);
                b = cut;
            }
        }
        return b;
    }

    @Test
    void fileNameWhenAttachedMessageDeclaresANameThenThatNameWinsOverItsSubject() throws Exception {
        TestMessages m = message()
                .headers("forward")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "Content-Type: text/plain", "", "see attached")
                .part(
                        "m",
                        "Content-Type: message/rfc822; name=\"C:\\\\mail\\\\original.eml\"",
                        "",
                        "Subject: inner subject",
                        "",
                        "inner")
                .part("m", "Content-Type: message/rfc822", "", "Subject: only a subject", "", "inner")
                .close("m");
        assertThat(parse(m).attachments())
                .extracting(Attachment::fileName)
                .containsExactly("original.eml", "only a subject.eml");
    }

    @Test
    void fileNameWhenLeadingDotThenKept() throws Exception {
        assertThat(onlyName("Content-Type: application/pdf; name=\".pdf\"")).isEqualTo(".pdf");
        assertThat(onlyName("Content-Type: application/pdf; name=\"..\"")).isEqualTo("attachment-1.pdf");
    }

    @Test
    void fileNameWhenUtf7EncodedWordThenDecoded() throws Exception {
        // "日本語.txt" in UTF-7 is "+ZeVnLIqe-.txt"
        String word = "=?UNICODE-1-1-UTF-7?Q?+ZeVnLIqe-.txt?=";
        assertThat(onlyName("Content-Type: text/plain", "Content-Disposition: attachment; filename=\"" + word + "\""))
                .isEqualTo("日本語.txt");
    }

    @Test
    void fileNameWhenRawIso2022JpInQuotedNameThenDecodedWithEscapes() throws Exception {
        String jis = new String(
                "見積書.pdf".getBytes(java.nio.charset.Charset.forName("ISO-2022-JP")), StandardCharsets.ISO_8859_1);
        assertThat(onlyName(
                        "Content-Type: application/pdf", "Content-Disposition: attachment; filename=\"" + jis + "\""))
                .isEqualTo("見積書.pdf");
    }

    @Test
    void openDecodedWhenUuencodeBeginLineFoldedThenDataKept() throws Exception {
        TestMessages m = message()
                .headers("uu")
                .line("Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", "Content-Type: text/plain", "", "body")
                .part(
                        "m",
                        "Content-Type: application/octet-stream",
                        "Content-Transfer-Encoding: x-uuencode",
                        "Content-Disposition: attachment; filename=\"data.bin\"",
                        "",
                        "begin 664 =?UTF-8?B?ZGF0YQ==?=",
                        " =?UTF-8?B?LmJpbg==?=",
                        "%86)C9&4`",
                        "`",
                        "end")
                .close("m");
        try (InputStream in = parse(m).attachments().get(0).openDecoded()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
        }
    }
}
