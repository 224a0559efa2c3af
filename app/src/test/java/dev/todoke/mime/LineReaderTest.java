package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {

    private record Line(long start, long content, int lineBreak) {}

    @TempDir
    Path dir;

    @Test
    void skipLinesWithoutDashWhenRandomLinesThenSameLinesAsReadingThemOneByOne() throws IOException {
        Random random = new Random(2026_12_03);
        for (int round = 0; round < 200; round++) {
            byte[] data = randomLines(random);
            Path file = dir.resolve("spool-" + round);
            Files.write(file, data);
            List<Line> expected = readOneByOne(file);

            try (LineReader reader = new LineReader(file, 1 + random.nextInt(200))) {
                int j = 0;
                while (reader.next()) {
                    assertThat(current(reader)).as("round %d", round).isEqualTo(expected.get(j));
                    j++;
                    long longest = reader.skipLinesWithoutDash();
                    if (longest < 0) {
                        continue;
                    }
                    // the skipped lines are the next ones read one by one, none starting with '-'
                    long max = -1;
                    int k = j;
                    while (expected.get(k).start() != reader.lineStart()) {
                        k++;
                    }
                    for (int i = j; i <= k; i++) {
                        Line line = expected.get(i);
                        assertThat(line.content() > 0 && data[(int) line.start()] == '-')
                                .as("round %d: a skipped line starts with '-'", round)
                                .isFalse();
                        assertThat(line.lineBreak()).isPositive();
                        max = Math.max(max, line.content());
                    }
                    assertThat(longest).as("round %d", round).isEqualTo(max);
                    assertThat(current(reader)).isEqualTo(expected.get(k));
                    assertThat(reader.capturedLength()).isZero();
                    j = k + 1;
                }
                assertThat(j).as("round %d", round).isEqualTo(expected.size());
            }
        }
    }

    @Test
    void skipLinesWithoutDashWhenNextLineStartsWithDashThenNothingSkipped() throws IOException {
        Path file = dir.resolve("spool");
        Files.writeString(file, "QUJD\r\n--boundary\r\nREVG\r\n");
        try (LineReader reader = new LineReader(file, 100)) {
            assertThat(reader.next()).isTrue();

            assertThat(reader.skipLinesWithoutDash()).isEqualTo(-1);

            assertThat(reader.lineStart()).isZero();
            assertThat(reader.next()).isTrue();
            assertThat(new String(reader.captured(), 0, reader.capturedLength()))
                    .isEqualTo("--boundary");
        }
    }

    private static Line current(LineReader reader) {
        return new Line(reader.lineStart(), reader.contentLength(), reader.breakLength());
    }

    private static List<Line> readOneByOne(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(file, 16)) {
            while (reader.next()) {
                lines.add(current(reader));
            }
        }
        return lines;
    }

    /** Lines of base64-like text, '-' lines, empty lines, CRLF, LF and bare CR, some longer than the buffer. */
    private static byte[] randomLines(Random random) {
        StringBuilder text = new StringBuilder();
        int lines = random.nextInt(3000);
        for (int i = 0; i < lines; i++) {
            int kind = random.nextInt(20);
            boolean overBuffer = random.nextInt(400) == 0; // past the reader's 64 KiB buffer
            int length = overBuffer ? 64 * 1024 + random.nextInt(70_000) : random.nextInt(kind < 3 ? 3 : 90);
            if (kind == 1) {
                text.append('-');
            }
            for (int c = 0; c < length; c++) {
                text.append(random.nextInt(30) == 0 ? '\r' : (char) ('A' + random.nextInt(26)));
            }
            text.append(random.nextBoolean() ? "\r\n" : "\n");
        }
        if (random.nextBoolean()) {
            text.append("last line without a break");
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
