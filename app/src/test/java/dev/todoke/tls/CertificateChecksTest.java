package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateChecksTest {

    @ParameterizedTest
    @CsvSource({
        "mx.example.com, mx.example.com, true",
        "MX.Example.COM., mx.example.com, true",
        "*.example.com, mx.example.com, true",
        "*.example.com, a.mx.example.com, false",
        "*.example.com, example.com, false",
        "*.com, example.com, false",
        "m*.example.com, mx.example.com, false",
        "mx.example.com, mx.example.org, false"
    })
    void nameMatchesWhenPresentedNameThenRfc6125Rules(String presented, String host, boolean expected) {
        assertThat(CertificateChecks.nameMatches(presented, host)).isEqualTo(expected);
    }

    @Test
    void nameMatchesWhenSubjectAltNamesPresentThenCommonNameIgnored() {
        TestPki.Issued cert = TestPki.selfSigned("cn-only.example.com", "san.example.com");

        assertThat(CertificateChecks.nameMatches(cert.cert(), "san.example.com"))
                .isTrue();
        assertThat(CertificateChecks.nameMatches(cert.cert(), "cn-only.example.com"))
                .isFalse();
    }

    @Test
    void nameMatchesWhenNoSubjectAltNameThenCommonNameUsed() {
        TestPki.Issued cert = TestPki.selfSigned("legacy.example.com");

        assertThat(CertificateChecks.nameMatches(cert.cert(), "legacy.example.com"))
                .isTrue();
        assertThat(CertificateChecks.nameMatches(cert.cert(), "other.example.com"))
                .isFalse();
    }

    @Test
    void nameMatchesWhenHostIsIpLiteralThenIpAddressAltNameOnly() {
        TestPki.Issued cert = TestPki.selfSigned("127.0.0.1", "127.0.0.1", "localhost");

        assertThat(CertificateChecks.nameMatches(cert.cert(), "127.0.0.1")).isTrue();
        assertThat(CertificateChecks.nameMatches(cert.cert(), "127.0.0.2")).isFalse();
    }

    @Test
    void chainProblemWhenIssuedByTrustedCaThenNoneElseReason() throws Exception {
        TestPki.Issued ca = TestPki.ca("Checks CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "mx.example.com", "mx.example.com");
        CertificateChecks checks = new CertificateChecks(trustManager(ca.cert()));

        assertThat(checks.chainProblem(leaf.chain())).isNull();
        assertThat(checks.chainProblem(
                        TestPki.selfSigned("mx.example.com", "mx.example.com").chain()))
                .isNotBlank();
        assertThat(checks.chainProblem(new X509Certificate[0])).isEqualTo("no certificate");
    }

    static X509TrustManager trustManager(X509Certificate... trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TestPki.trustStore(trusted));
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
