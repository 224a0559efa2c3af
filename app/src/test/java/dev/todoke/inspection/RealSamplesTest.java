package dev.todoke.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.inspection.EncryptedFiles.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password-protected files as real libraries and 7-Zip make them are detected; their plain twins are not. */
class RealSamplesTest {

    private final EncryptedFiles files = new EncryptedFiles(64 * 1024 * 1024, Duration.ofSeconds(10));

    @TempDir
    Path work;

    private Optional<Format> detect(byte[] file) throws IOException {
        return files.detect(new ByteArrayInputStream(file));
    }

    @Test
    void detectWhenZip4jEncryptedThenZipAndPlainTwinNot() throws IOException {
        assertThat(detect(RealSamples.zip4j(EncryptionMethod.ZIP_STANDARD, "a.txt", "figures")))
                .contains(Format.ZIP);
        assertThat(detect(RealSamples.zip4j(EncryptionMethod.AES, "a.txt", "figures")))
                .contains(Format.ZIP);
        assertThat(detect(RealSamples.zip4j(EncryptionMethod.NONE, "a.txt", "figures")))
                .isEmpty();
    }

    @Test
    void detectWhenPdfBoxEncryptedThenPdfAndPlainTwinNot() throws IOException {
        assertThat(detect(RealSamples.pdf(true, "quarterly figures"))).contains(Format.PDF);
        assertThat(detect(RealSamples.pdf(false, "quarterly figures"))).isEmpty();
    }

    @Test
    void detectWhenPoiAgileEncryptedThenOfficeAndPlainTwinNot() throws IOException {
        byte[] xlsx = RealSamples.xlsx("quarterly figures");
        byte[] docx = RealSamples.docx("quarterly figures");

        assertThat(detect(RealSamples.encryptedOffice(xlsx))).contains(Format.OFFICE);
        assertThat(detect(RealSamples.encryptedOffice(docx))).contains(Format.OFFICE);
        assertThat(detect(xlsx)).isEmpty();
        assertThat(detect(docx)).isEmpty();
    }

    @Test
    void detectWhen7ZipEncryptedThenSevenZipAndPlainTwinNot() throws IOException {
        RealSamples.require7zip();

        assertThat(detect(RealSamples.sevenZip(work, true, true, "quarterly figures")))
                .contains(Format.SEVEN_ZIP);
        assertThat(detect(RealSamples.sevenZip(work, true, false, "quarterly figures")))
                .contains(Format.SEVEN_ZIP);
        assertThat(detect(RealSamples.sevenZip(work, false, false, "quarterly figures")))
                .isEmpty();
    }

    @Test
    void detectWhenRealEncryptedFileIsInsideAPlainZipThenZip() throws IOException {
        byte[] inner = RealSamples.encryptedOffice(RealSamples.xlsx("x"));

        assertThat(detect(PpapSamples.zipHolding("book.xlsx", inner))).contains(Format.ZIP);
        assertThat(detect(PpapSamples.zipHolding("book.xlsx", RealSamples.xlsx("x"))))
                .isEmpty();
    }
}
