package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.tls.TlsReport.Verdict;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    static final TlsReport.MxHost VERIFIED =
            new TlsReport.MxHost("a.test", 10, true, true, "TLSv1.3", "TLS_AES_128_GCM_SHA256", true, true, null);
    static final TlsReport.MxHost BAD_CERT =
            new TlsReport.MxHost("b.test", 10, true, true, "TLSv1.2", "X", false, true, "certificate not trusted");
    static final TlsReport.MxHost PLAIN =
            new TlsReport.MxHost("c.test", 20, true, false, null, null, null, null, "STARTTLS not offered");
    static final TlsReport.MxHost DOWN =
            new TlsReport.MxHost("d.test", 30, false, false, null, null, null, null, "connection refused");
    static final TlsReport.MtaSts ENFORCE = new TlsReport.MtaSts("enforce", true);
    static final TlsReport.Dane DANE = new TlsReport.Dane(true, true, true);

    @Test
    void ofWhenVerifiedHostAndMtaStsEnforceThenTlsVerified() {
        assertThat(Verdicts.of(List.of(VERIFIED), ENFORCE, TlsReport.Dane.NONE)).isEqualTo(Verdict.TLS_VERIFIED);
    }

    @Test
    void ofWhenVerifiedHostAndValidatedMatchingDaneThenTlsVerified() {
        assertThat(Verdicts.of(List.of(VERIFIED), TlsReport.MtaSts.NONE, DANE)).isEqualTo(Verdict.TLS_VERIFIED);
    }

    @Test
    void ofWhenVerifiedHostButNothingEnforcesThenTls() {
        assertThat(Verdicts.of(
                        List.of(VERIFIED),
                        new TlsReport.MtaSts("testing", true),
                        new TlsReport.Dane(true, false, true)))
                .isEqualTo(Verdict.TLS);
        assertThat(Verdicts.of(
                        List.of(VERIFIED),
                        new TlsReport.MtaSts("enforce", false),
                        new TlsReport.Dane(true, true, false)))
                .isEqualTo(Verdict.TLS);
    }

    @Test
    void ofWhenCertificateInvalidThenTlsEvenWithEnforce() {
        assertThat(Verdicts.of(List.of(BAD_CERT), ENFORCE, DANE)).isEqualTo(Verdict.TLS);
        assertThat(Verdicts.of(List.of(VERIFIED, BAD_CERT), ENFORCE, DANE)).isEqualTo(Verdict.TLS);
    }

    @Test
    void ofWhenAnyReachableHostWithoutTlsThenNoTls() {
        assertThat(Verdicts.of(List.of(VERIFIED, PLAIN), ENFORCE, DANE)).isEqualTo(Verdict.NO_TLS);
    }

    @Test
    void ofWhenUnreachableHostsThenIgnoredAndAllUnreachableIsUnreachable() {
        assertThat(Verdicts.of(List.of(DOWN, VERIFIED), ENFORCE, TlsReport.Dane.NONE))
                .isEqualTo(Verdict.TLS_VERIFIED);
        assertThat(Verdicts.of(List.of(DOWN), ENFORCE, DANE)).isEqualTo(Verdict.UNREACHABLE);
        assertThat(Verdicts.of(List.of(), ENFORCE, DANE)).isEqualTo(Verdict.UNREACHABLE);
    }

    @Test
    void verdictWhenCodesThenExactWordsAndRoundTrip() {
        assertThat(List.of(Verdict.values()))
                .extracting(Verdict::code)
                .containsExactly("tls-verified", "tls", "no-tls", "unreachable", "no-mx");
        for (Verdict v : Verdict.values()) {
            assertThat(Verdict.ofCode(v.code())).isEqualTo(v);
            assertThat(v.plainWords(Locale.ENGLISH)).isNotBlank();
            assertThat(v.plainWords(Locale.JAPANESE)).isNotEqualTo(v.plainWords(Locale.ENGLISH));
        }
        assertThat(Verdict.UNREACHABLE.isFailure()).isTrue();
        assertThat(Verdict.NO_MX.isFailure()).isTrue();
        assertThat(Verdict.NO_TLS.isFailure()).isFalse();
    }
}
