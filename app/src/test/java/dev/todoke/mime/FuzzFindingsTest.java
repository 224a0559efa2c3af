package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs the Jazzer fuzz tests (MimeFuzzTest, HeaderFuzzTest) found to break a property, kept as plain
 * tests that run on every build (docs/fuzzing.md). Each names the finding it guards against.
 */
class FuzzFindingsTest {

    /** HeaderFuzzTest: an RFC 2231 continuation in UTF-7 (decode only) threw UnsupportedOperationException. */
    @Test
    void parseWhenUtf7ContinuationThenDecodedWithoutEncoder() {
        String raw = "attachment; filename*0*=UTF-7''%E6%B7%BB; filename*1=\".pdf\"; size=12";

        HeaderParams params = HeaderParams.parse(raw);

        assertThat(params.value()).isEqualTo("attachment");
        assertThat(params.param("filename")).endsWith(".pdf");
        HeaderFuzzTest.check(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * MimeFuzzTest: a multipart/mixed whose boundary quote never closes, and whose top level says {@code
     * Content-Disposition: attachment}: the rewritten copy still held an attachment.
     */
    @Test
    void rewriteWhenTopLevelAttachmentUnderBrokenMultipartThenNoAttachmentLeft(@TempDir Path dir) throws Exception {
        String raw =
                "Content-Type: multipart/mixed; boundary=\"------------D6BBFC1853527FEEDname=\"PDF417(3.2.4).msi\"\n"
                        + "Content-Transfer-Encoding: base64\n"
                        + "Content-Disposition: attachment; filename=\"PDF417(3.2.4).msi\"\n"
                        + "\n"
                        + "MAo=\n"
                        + "--------------D6BBFC1853527FEEDD26DC71--\n";

        MimeFuzzTest.check(dir, raw.getBytes(StandardCharsets.ISO_8859_1));
    }
}
