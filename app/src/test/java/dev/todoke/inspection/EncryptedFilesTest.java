package dev.todoke.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.inspection.EncryptedFiles.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncryptedFilesTest {

    private final EncryptedFiles files = new EncryptedFiles(64 * 1024 * 1024, Duration.ofSeconds(10));

    private Optional<Format> detect(byte[] file) throws IOException {
        return files.detect(new ByteArrayInputStream(file));
    }

    @Test
    void detectWhenZipEntryHasTheEncryptionFlagThenZip() throws IOException {
        assertThat(detect(PpapSamples.zip(true))).contains(Format.ZIP);
        assertThat(detect(PpapSamples.zip(false))).isEmpty();
    }

    @Test
    void detectWhenZipEntryIsAesEncryptedThenZip() throws IOException {
        assertThat(detect(PpapSamples.aesZip())).contains(Format.ZIP);
    }

    @Test
    void detectWhenEncryptedFileIsInsideAPlainZipThenZip() throws IOException {
        assertThat(detect(PpapSamples.zipHolding("inner.zip", PpapSamples.zip(true))))
                .contains(Format.ZIP);
        assertThat(detect(PpapSamples.zipHolding("report.pdf", PpapSamples.pdf(true))))
                .contains(Format.ZIP);
        assertThat(detect(PpapSamples.zipHolding("data.7z", PpapSamples.sevenZip(true, false))))
                .contains(Format.ZIP);
        assertThat(detect(PpapSamples.zipHolding("inner.zip", PpapSamples.zip(false))))
                .isEmpty();
    }

    @Test
    void detectWhenEncryptedZipIsTwoLevelsDeepThenFound() throws IOException {
        byte[] twoDeep =
                PpapSamples.zipHolding("outer.zip", PpapSamples.zipHolding("inner.zip", PpapSamples.zip(true)));

        assertThat(detect(twoDeep)).contains(Format.ZIP);
    }

    @Test
    void inspectWhenZipsAreNestedDeeperThanTheLimitThenDepthExceeded() throws IOException {
        byte[] twoDeep =
                PpapSamples.zipHolding("outer.zip", PpapSamples.zipHolding("inner.zip", PpapSamples.zip(true)));
        EncryptedFiles oneLevel = new EncryptedFiles(
                64 * 1024 * 1024, Duration.ofSeconds(10), new EncryptedFiles.ArchiveLimits(1 << 30, 100, 1));

        EncryptedFiles.Verdict verdict = oneLevel.inspect(new ByteArrayInputStream(twoDeep));

        assertThat(verdict.exceeded()).contains(EncryptedFiles.Limit.DEPTH);
        assertThat(verdict.encrypted()).isEmpty();
    }

    @Test
    void detectWhenPdfTrailerHasEncryptThenPdf() throws IOException {
        assertThat(detect(PpapSamples.pdf(true))).contains(Format.PDF);
        assertThat(detect(PpapSamples.pdf(false))).isEmpty();
    }

    @Test
    void detectWhenPdfHasOnlyEncryptMetadataThenNothing() throws IOException {
        byte[] pdf = "%PDF-1.7\n<< /EncryptMetadata false >>\n%%EOF".getBytes(StandardCharsets.US_ASCII);

        assertThat(detect(pdf)).isEmpty();
    }

    @Test
    void detectWhenCompoundFileHasEncryptionInfoThenOffice() throws IOException {
        assertThat(detect(PpapSamples.cfb(true))).contains(Format.OFFICE);
        assertThat(detect(PpapSamples.cfb(false))).isEmpty();
    }

    @Test
    void detectWhen7zHasTheAesCoderThenSevenZip() throws IOException {
        assertThat(detect(PpapSamples.sevenZip(true, false))).contains(Format.SEVEN_ZIP);
        assertThat(detect(PpapSamples.sevenZip(false, true))).contains(Format.SEVEN_ZIP);
        assertThat(detect(PpapSamples.sevenZip(false, false))).isEmpty();
    }

    @Test
    void detectWhen7zHeaderIsLzmaCompressedThenDecompressedAndSearched() throws IOException {
        byte[] archive = PpapSamples.sevenZipCompressedHeader(true);
        assertThat(Arrays.toString(archive))
                .as("the coder id is visible only after decompression")
                .doesNotContain("6, -15, 7, 1");

        assertThat(detect(archive)).contains(Format.SEVEN_ZIP);
        assertThat(detect(PpapSamples.sevenZipCompressedHeader(false))).isEmpty();
    }

    @Test
    void detectWhenRar5FileHasEncryptionRecordThenRar() throws IOException {
        assertThat(detect(PpapSamples.rar5(true, false))).contains(Format.RAR);
        assertThat(detect(PpapSamples.rar5(false, true))).contains(Format.RAR);
        assertThat(detect(PpapSamples.rar5(false, false))).isEmpty();
    }

    @Test
    void detectWhenFileIsTruncatedOrGarbageThenNothing() throws IOException {
        for (byte[] sample : new byte[][] {
            PpapSamples.zip(false),
            PpapSamples.sevenZip(false, false),
            PpapSamples.rar5(false, false),
            PpapSamples.cfb(false)
        }) {
            for (int length = 0; length < sample.length; length += 3) {
                assertThat(detect(Arrays.copyOf(sample, length))).isEmpty();
            }
        }
        byte[] garbage = PpapSamples.concat(new byte[] {'P', 'K', 3, 4}, new byte[200]);
        Arrays.fill(garbage, 4, garbage.length, (byte) 0xFF);
        assertThat(detect(garbage)).isEmpty();
    }

    @Test
    void detectWhenTheMarkerLiesBeyondTheByteBoundThenNothing() throws IOException {
        byte[] pdf = PpapSamples.concat(
                "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), new byte[4096], PpapSamples.pdf(true));
        EncryptedFiles small = new EncryptedFiles(1024, Duration.ofSeconds(10));

        assertThat(small.detect(new ByteArrayInputStream(pdf))).isEmpty();
        assertThat(detect(pdf)).contains(Format.PDF);
    }

    @Test
    void detectWhenTheStreamFailsThenItsExceptionGoesThrough() {
        InputStream failing = new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read++ < 10) {
                    return "%PDF-1.4\n..".charAt(read - 1);
                }
                throw new IOException("spool gone");
            }
        };

        assertThatThrownBy(() -> files.detect(failing))
                .isInstanceOf(IOException.class)
                .hasMessage("spool gone");
    }
}
