package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
