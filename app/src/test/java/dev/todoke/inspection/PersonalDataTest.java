package dev.todoke.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.inspection.TextFindings.Coverage;
import dev.todoke.inspection.TextFindings.Hits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * My Number and card numbers (valid and invalid check digits) in a body, a CSV, a PDF and Office files
 * made by PDFBox and POI (text extracted by Tika), the administrator's patterns, and the bounds: size,
 * characters, time.
 */
class PersonalDataTest {

    private static final String MY_NUMBER = "123456789018";
    private static final String BAD_MY_NUMBER = "123456789017";
    private static final String CARD = "4111 1111 1111 1111";
    private static final String BAD_CARD = "4111 1111 1111 1112";

    private PersonalData data = personalData(new PersonalData.Limits(1 << 20, 1_000_000, Duration.ofSeconds(20), 2));

    private static PersonalData personalData(PersonalData.Limits limits) {
        return new PersonalData(true, true, Map.of("secret", Pattern.compile("社外秘")), limits);
    }

    @AfterEach
    void close() {
        data.close();
    }

    private TextFindings file(byte[] content) throws IOException {
        return data.scanFile(new ByteArrayInputStream(content));
    }

    @Test
    void scanBodyWhenIso2022JpTextThenFoundInItsCharset() throws IOException {
        Charset jis = Charset.forName("x-windows-50221");
        String text = "お世話になります。\r\nマイナンバー：" + MY_NUMBER + "\r\n社外秘\r\n";

        TextFindings findings = data.scanBody(new ByteArrayInputStream(text.getBytes(jis)), jis, false);

        assertThat(findings.coverage()).isEqualTo(Coverage.COMPLETE);
        assertThat(findings.hits())
                .containsEntry(TextFindings.MY_NUMBER, new Hits(1, List.of(2L)))
                .containsEntry("secret", new Hits(1, List.of(3L)));
    }

    @Test
    void scanBodyWhenHtmlThenTagsDoNotHideOrJoinNumbers() throws IOException {
        String html = "<html><body><p>Card: <b>" + CARD + "</b></p><td>1234</td><td>56789018</td></body></html>";

        TextFindings findings = data.scanBody(
                new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8, true);

        assertThat(findings.hits()).containsOnlyKeys(TextFindings.CARD_NUMBER);
    }

    @Test
    void scanFileWhenCsvThenValidNumbersCountedAndInvalidNot() throws IOException {
        String csv = "氏名,番号,カード\n山田," + MY_NUMBER + "," + CARD + "\n佐藤," + BAD_MY_NUMBER + "," + BAD_CARD + "\n";

        TextFindings findings = file(csv.getBytes(Charset.forName("windows-31j")));

        assertThat(findings.coverage()).isEqualTo(Coverage.COMPLETE);
        assertThat(findings.hits())
                .containsEntry(TextFindings.MY_NUMBER, new Hits(1, List.of(2L)))
                .containsEntry(TextFindings.CARD_NUMBER, new Hits(1, List.of(2L)))
                .doesNotContainKey("secret");
    }

    @Test
    void scanFileWhenPdfThenTextExtractedAndScanned() throws IOException {
        TextFindings findings = file(RealSamples.pdf(false, "Invoice", "My Number " + MY_NUMBER, "Card " + CARD));

        assertThat(findings.coverage()).isEqualTo(Coverage.COMPLETE);
        assertThat(findings.hits()).containsOnlyKeys(TextFindings.MY_NUMBER, TextFindings.CARD_NUMBER);
    }

    @Test
    void scanFileWhenPdfHasOnlyInvalidNumbersThenNothing() throws IOException {
        TextFindings findings = file(RealSamples.pdf(false, "My Number " + BAD_MY_NUMBER, "Card " + BAD_CARD));

        assertThat(findings.coverage()).isEqualTo(Coverage.COMPLETE);
        assertThat(findings.hits()).isEmpty();
    }

    @Test
    void scanFileWhenOfficeFilesThenTextExtractedAndScanned() throws IOException {
        assertThat(file(RealSamples.xlsx("番号", MY_NUMBER, "社外秘")).hits())
                .containsOnlyKeys(TextFindings.MY_NUMBER, "secret");
        assertThat(file(RealSamples.docx("カード番号 " + CARD)).hits()).containsOnlyKeys(TextFindings.CARD_NUMBER);
    }

    @Test
    void scanFileWhenPasswordProtectedThenUnreadable() throws IOException {
        assertThat(file(RealSamples.pdf(true, MY_NUMBER)).coverage()).isEqualTo(Coverage.UNREADABLE);
        assertThat(file(RealSamples.encryptedOffice(RealSamples.xlsx(MY_NUMBER)))
                        .coverage())
                .isEqualTo(Coverage.UNREADABLE);
    }

    @Test
    void scanFileWhenBinaryOrArchiveThenNotText() throws IOException {
        assertThat(file(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13}).coverage())
                .isEqualTo(Coverage.NOT_TEXT);
        // a plain ZIP: Tika has no archive parser here, so nothing inside is extracted
        TextFindings zip = file(PpapSamples.zipHolding("numbers.txt", MY_NUMBER.getBytes(StandardCharsets.US_ASCII)));
        assertThat(zip.hits()).isEmpty();
    }

    @Test
    void scanFileWhenLargerThanTheExtractLimitThenTooLargeAndNotParsed() throws IOException {
        data.close();
        data = personalData(new PersonalData.Limits(200, 1_000_000, Duration.ofSeconds(20), 1));
        byte[] pdf = RealSamples.pdf(false, "My Number " + MY_NUMBER);
        assertThat(pdf.length).isGreaterThan(200);

        TextFindings findings = file(pdf);

        assertThat(findings.coverage()).isEqualTo(Coverage.TOO_LARGE);
        assertThat(findings.hits()).isEmpty();
    }

    @Test
    void scanFileWhenMoreCharactersThanTheLimitThenTruncatedWithWhatWasFoundBefore() throws IOException {
        data.close();
        data = personalData(new PersonalData.Limits(1 << 20, 100, Duration.ofSeconds(20), 1));
        String text = MY_NUMBER + "\n" + "x".repeat(200) + "\n" + CARD + "\n";

        TextFindings findings = file(text.getBytes(StandardCharsets.US_ASCII));

        assertThat(findings.coverage()).isEqualTo(Coverage.TRUNCATED);
        assertThat(findings.hits()).containsOnlyKeys(TextFindings.MY_NUMBER);
    }

    @Test
    void scanFileWhenAPatternRunsAwayThenTimedOutAndThePoolRecovers() throws IOException {
        data.close();
        data = new PersonalData(
                false,
                false,
                Map.of("runaway", Pattern.compile("(.*a){12}b")),
                new PersonalData.Limits(1 << 20, 1_000_000, Duration.ofMillis(500), 1));
        byte[] text = ("a".repeat(60) + "\n").getBytes(StandardCharsets.US_ASCII);

        long start = System.nanoTime();
        TextFindings findings = file(text);

        assertThat(findings.coverage()).isEqualTo(Coverage.TIMED_OUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // the interrupted pattern gave its thread back
        TextFindings next = file("aaaaaaaaaaaab\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(next.coverage()).isEqualTo(Coverage.COMPLETE);
        assertThat(next.hits()).containsOnlyKeys("runaway");
    }

    @Test
    void scanFileWhenTextStreamsInSmallReadsThenNumbersAcrossReadsFound() throws IOException {
        byte[] text = ("x ".repeat(10_000) + CARD + " y\n").getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new ByteArrayInputStream(text) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };

        assertThat(data.scanFile(trickle).hits()).containsOnlyKeys(TextFindings.CARD_NUMBER);
    }
}
