package dev.todoke.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.todoke.testkit.Components;
import dev.todoke.testkit.FuzzSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes header field decoding (docs/fuzzing.md): RFC 2047 encoded words ({@link EncodedWords}),
 * parameters with RFC 2231 continuations and charsets ({@link HeaderParams}), file name clean-up
 * ({@link FileNames}) and address lists ({@link AddressList}). Each field value is read both as one char
 * per octet (how the parser hands header text over) and as UTF-8. Properties: no exception at all (these
 * decoders are lenient by contract), output bounded by the input, a sanitized name is a usable file name,
 * every mailbox is text of the field as written.
 */
class HeaderFuzzTest {

    @BeforeAll
    static void plantSeeds() {
        FuzzSeeds.plant(HeaderFuzzTest.class, "decodeField", seeds(), false);
    }

    @FuzzTest(maxDuration = "20s")
    void decodeField(byte[] field) {
        check(field);
    }

    @Test
    void decodeFieldWhenGeneratedSeedsThenPropertiesHold() {
        for (byte[] seed : seeds()) {
            check(seed);
        }
    }

    /** Every header line of every real sample in ../shared/mime-samples (skipped where it is absent). */
    @Test
    void decodeFieldWhenSharedSampleHeadersThenPropertiesHold() throws IOException {
        Components.requireShared();
        int fields = 0;
        for (Path sample : FuzzSeeds.sharedMimeSamples()) {
            for (byte[] value : headerValues(Files.readAllBytes(sample))) {
                check(value);
                fields++;
            }
        }
        assertThat(fields).isPositive();
    }

    static void check(byte[] field) {
        checkText(new String(field, StandardCharsets.ISO_8859_1));
        checkText(new String(field, StandardCharsets.UTF_8));
    }

    private static void checkText(String value) {
        String decoded = EncodedWords.decode(value);
        assertThat(decoded.length()).isLessThanOrEqualTo(2 * value.length() + 16);

        HeaderParams params = HeaderParams.parse(value);
        assertThat(params.value()).isNotNull();
        for (String name : params.params().keySet()) {
            assertThat(params.decodedParam(name)).isNotNull();
        }
        for (String candidate :
                new String[] {value, decoded, params.decodedParam("filename"), params.decodedParam("name")}) {
            String clean = FileNames.sanitize(candidate);
            if (clean == null) {
                continue;
            }
            assertThat(clean).isNotEmpty().doesNotContain("/", "\\");
            assertThat(clean.chars().allMatch(c -> c == '.')).isFalse();
            assertThat(clean.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).isTrue();
            assertThat(clean.codePointCount(0, clean.length())).isLessThanOrEqualTo(200);
        }

        for (AddressList.Mailbox mailbox : AddressList.parse(value)) {
            assertThat(value).contains(mailbox.raw());
            assertThat(mailbox.address()).contains("@");
        }
    }

    /** The unfolded values of the top-level header fields of a raw message, one byte per octet. */
    static List<byte[]> headerValues(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n\n");
        int crlfEnd = text.indexOf("\r\n\r\n");
        if (crlfEnd >= 0 && (end < 0 || crlfEnd < end)) {
            end = crlfEnd;
        }
        String head = end < 0 ? text : text.substring(0, end);
        List<byte[]> values = new ArrayList<>();
        for (String field : head.replaceAll("\r?\n[ \t]", " ").split("\r?\n")) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                values.add(field.substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return values;
    }

    static List<byte[]> seeds() {
        List<String> texts = List.of(
                "=?UTF-8?B?5re75LuY44OV44Kh44Kk44Or?= =?UTF-8?Q?=E3=81=82_b?=",
                "=?ISO-2022-JP?B?GyRCRTpJVRsoQg==?=.pdf",
                "=?utf-7?Q?+ZeVnLIqe-?= plain",
                "attachment; filename*0*=UTF-8''%E6%B7%BB; filename*1=\".pdf\"; size=12",
                "application/pdf; name=\"a\\\"b.pdf\" (comment); charset=shift_jis",
                "inline; filename=\"../../etc/passwd\u202Efdp.exe\"",
                "\"Doe, John\" <john@example.com>, group: a@example.com, b <b@example.org>;, (c) c@x",
                "<@route,@r2:user@example.jp> (x \"y\")",
                "=?x-unknown?B?AAAA?= =?UTF-8?B?@@@?=");
        List<byte[]> result = new ArrayList<>();
        for (String text : texts) {
            result.add(text.getBytes(StandardCharsets.UTF_8));
        }
        return result;
    }
}
