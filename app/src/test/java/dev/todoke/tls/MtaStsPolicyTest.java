package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtaStsPolicyTest {

    @Test
    void parseWhenRecordedEnforcePolicyWithCrlfThenModeMxAndMaxAge() {
        MtaStsPolicy policy = MtaStsPolicy.parse(TestTls.recorded("enforce-gmail.txt"));

        assertThat(policy.mode()).isEqualTo("enforce");
        assertThat(policy.mx()).containsExactly("gmail-smtp-in.l.google.com", "*.gmail-smtp-in.l.google.com");
        assertThat(policy.maxAge()).isEqualTo(86400);
    }

    @Test
    void parseWhenRecordedTestingPolicyWithBareLfThenTesting() {
        MtaStsPolicy policy = MtaStsPolicy.parse(TestTls.recorded("testing-lf.txt"));

        assertThat(policy.mode()).isEqualTo("testing");
        assertThat(policy.mx()).containsExactly("mx1.example.net", "*.mail.example.net");
        assertThat(policy.maxAge()).isEqualTo(604800);
    }

    @Test
    void parseWhenModeNoneWithoutMxThenValid() {
        MtaStsPolicy policy = MtaStsPolicy.parse(TestTls.recorded("none.txt"));

        assertThat(policy.mode()).isEqualTo("none");
        assertThat(policy.mx()).isEmpty();
        assertThat(policy.maxAge()).isZero();
    }

    @Test
    void parseWhenUnknownFieldThenIgnored() {
        MtaStsPolicy policy = MtaStsPolicy.parse(TestTls.recorded("enforce-extension.txt"));

        assertThat(policy.mode()).isEqualTo("enforce");
        assertThat(policy.mx()).containsExactly("mail.example.org", "*.backup.example.org");
    }

    @ParameterizedTest
    @CsvSource({
        "malformed-max-age.txt, max_age",
        "malformed-version.txt, version",
        "malformed-no-mx.txt, no mx pattern",
        "malformed-html.txt, malformed policy line",
        "malformed-mode.txt, mode"
    })
    void parseWhenMalformedThenRejectedSayingWhy(String file, String reason) {
        assertThatThrownBy(() -> MtaStsPolicy.parse(TestTls.recorded(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void parseWhenMxPatternIsInvalidThenRejected() {
        assertThatThrownBy(
                        () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mail.*.example.com\nmax_age: 1\n"))
                .hasMessageContaining("invalid mx pattern");
    }

    @ParameterizedTest
    @CsvSource({
        "gmail-smtp-in.l.google.com, true",
        "GMAIL-SMTP-IN.L.GOOGLE.COM., true",
        "alt1.gmail-smtp-in.l.google.com, true",
        "a.b.gmail-smtp-in.l.google.com, false",
        "evil-gmail-smtp-in.l.google.com, false",
        "l.google.com, false"
    })
    void matchesWhenHostAgainstExactAndWildcardPatternsThenOneLabelWildcardOnly(String host, boolean expected) {
        MtaStsPolicy policy = MtaStsPolicy.parse(TestTls.recorded("enforce-gmail.txt"));

        assertThat(policy.matches(host)).isEqualTo(expected);
    }

    @Test
    void txtIdWhenOneValidRecordThenItsId() {
        assertThat(MtaStsPolicy.txtId(List.of("v=STSv1; id=20160831085700Z;"))).contains("20160831085700Z");
        assertThat(MtaStsPolicy.txtId(List.of("v=spf1 -all", "v=STSv1;id=abc"))).contains("abc");
    }

    @Test
    void txtIdWhenNoneSeveralOrInvalidThenEmpty() {
        assertThat(MtaStsPolicy.txtId(List.of())).isEmpty();
        assertThat(MtaStsPolicy.txtId(List.of("v=STSv1; id=1;", "v=STSv1; id=2;")))
                .isEmpty();
        assertThat(MtaStsPolicy.txtId(List.of("v=STSv1; id=has-dash;"))).isEmpty();
        assertThat(MtaStsPolicy.txtId(List.of("v=STSv1;"))).isEmpty();
        assertThat(MtaStsPolicy.txtId(List.of("v=STSv10; id=1"))).isEmpty();
    }
}
