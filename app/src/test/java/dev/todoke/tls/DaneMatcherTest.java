package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

class DaneMatcherTest {

    static final TestPki.Issued CA = TestPki.ca("Dane CA");
    static final TestPki.Issued LEAF = TestPki.leaf(CA, "mx.example.com", "mx.example.com");

    static TLSARecord tlsa(int usage, int selector, int matching, byte[] data) {
        return new TLSARecord(
                Name.fromConstantString("_25._tcp.mx.example.com."), 1, 300, usage, selector, matching, data);
    }

    @Test
    void matchesWhenDaneEeSpkiSha256ThenTrue() throws Exception {
        byte[] spki = MessageDigest.getInstance("SHA-256")
                .digest(LEAF.cert().getPublicKey().getEncoded());

        assertThat(DaneMatcher.matches(List.of(tlsa(3, 1, 1, spki)), LEAF.chain()))
                .isTrue();
    }

    @Test
    void matchesWhenDaneEeFullCertificateSha512ThenTrue() throws Exception {
        byte[] cert = MessageDigest.getInstance("SHA-512").digest(LEAF.cert().getEncoded());

        assertThat(DaneMatcher.matches(List.of(tlsa(3, 0, 2, cert)), LEAF.chain()))
                .isTrue();
    }

    @Test
    void matchesWhenDaneTaNamesTheIssuerThenTrue() throws Exception {
        assertThat(DaneMatcher.matches(List.of(tlsa(2, 0, 0, CA.cert().getEncoded())), LEAF.chain()))
                .isTrue();
    }

    @Test
    void matchesWhenDaneTaNamesTheLeafThenFalse() throws Exception {
        assertThat(DaneMatcher.matches(List.of(tlsa(2, 0, 0, LEAF.cert().getEncoded())), LEAF.chain()))
                .isFalse();
    }

    @Test
    void matchesWhenPkixUsagesThenUnusableForSmtp() throws Exception {
        byte[] spki = MessageDigest.getInstance("SHA-256")
                .digest(LEAF.cert().getPublicKey().getEncoded());

        assertThat(DaneMatcher.matches(List.of(tlsa(1, 1, 1, spki), tlsa(0, 1, 1, spki)), LEAF.chain()))
                .isFalse();
    }

    @Test
    void matchesWhenOtherKeyOrNoChainThenFalse() throws Exception {
        TestPki.Issued other = TestPki.selfSigned("mx.example.com", "mx.example.com");
        byte[] spki = MessageDigest.getInstance("SHA-256")
                .digest(other.cert().getPublicKey().getEncoded());

        assertThat(DaneMatcher.matches(List.of(tlsa(3, 1, 1, spki)), LEAF.chain()))
                .isFalse();
        assertThat(DaneMatcher.matches(List.of(tlsa(3, 1, 1, spki)), new java.security.cert.X509Certificate[0]))
                .isFalse();
    }
}
