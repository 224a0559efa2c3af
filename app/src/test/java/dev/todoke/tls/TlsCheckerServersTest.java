package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole check against real SMTP servers on 127.0.0.1 and a stub DNS server: each kind of server gets
 * its verdict, within its time budget.
 */
class TlsCheckerServersTest {

    static TestPki.Issued ca;
    static TestPki.Issued good;
    static Path trustStore;
    static TestSmtpServer goodServer;
    static TestSmtpServer selfSignedServer;
    static TestSmtpServer wrongNameServer;
    static TestSmtpServer expiredServer;
    static TestSmtpServer plainServer;
    static TestSmtpServer brokenTlsServer;
    static TestSmtpServer silentServer;
    static StubDnsServer dns;
    static Path dir;

    CachingTlsChecker checker;

    @BeforeAll
    static void servers() throws Exception {
        dir = Files.createTempDirectory("tls-test");
        ca = TestPki.ca("Todoke Test CA");
        good = TestPki.leaf(ca, "mx.good.test", "localhost", "mx.good.test", "mx1.dns.test", "mx2.dns.test");
        trustStore = TestPki.writeTrustStore(dir, ca.cert());
        goodServer = TestSmtpServer.starttls(TestPki.serverContext(good));
        selfSignedServer = TestSmtpServer.starttls(TestPki.serverContext(TestPki.selfSigned("localhost", "localhost")));
        wrongNameServer = TestSmtpServer.starttls(TestPki.serverContext(TestPki.leaf(ca, "other.test", "other.test")));
        expiredServer = TestSmtpServer.starttls(TestPki.serverContext(
                TestPki.leaf(ca, java.time.Instant.now().minus(Duration.ofHours(1)), "localhost", "localhost")));
        plainServer = TestSmtpServer.plain();
        brokenTlsServer = TestSmtpServer.brokenTls();
        silentServer = TestSmtpServer.silent();
        dns = new StubDnsServer();
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestSmtpServer s : new TestSmtpServer[] {
            goodServer, selfSignedServer, wrongNameServer, expiredServer, plainServer, brokenTlsServer, silentServer
        }) {
            s.close();
        }
        dns.close();
    }

    @AfterEach
    void closeChecker() {
        if (checker != null) {
            checker.close();
        }
    }

    private TestTls.Props props() {
        TestTls.Props p = new TestTls.Props();
        p.resolver = dns.address();
        p.trustStore = trustStore;
        return p;
    }

    private TlsReport check(TestTls.Props props, TestTls.RecordedPolicies policies, String domain) {
        checker = TestTls.checker(props.build(), policies, Clock.systemUTC());
        return checker.check(domain, false);
    }

    private static TlsReport timed(Duration budget, java.util.function.Supplier<TlsReport> check) {
        long start = System.nanoTime();
        TlsReport report = check.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(budget);
        return report;
    }

    @Test
    void checkWhenTrustedCertificateAndMtaStsEnforceThenTlsVerified() {
        dns.add("_mta-sts.enforce.test TXT \"v=STSv1; id=20261123T000000;\"");
        TestTls.Props props = props().override("enforce.test", "localhost:" + goodServer.port());
        TestTls.RecordedPolicies policies = new TestTls.RecordedPolicies()
                .serveText("enforce.test", "version: STSv1\r\nmode: enforce\r\nmx: localhost\r\nmax_age: 86400\r\n");

        TlsReport report = timed(Duration.ofSeconds(5), () -> check(props, policies, "enforce.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS_VERIFIED);
        assertThat(report.domain()).isEqualTo("enforce.test");
        assertThat(report.mx()).hasSize(1);
        TlsReport.MxHost mx = report.mx().get(0);
        assertThat(mx.host()).isEqualTo("localhost");
        assertThat(mx.starttls()).isTrue();
        assertThat(mx.tlsVersion()).isEqualTo("TLSv1.3");
        assertThat(mx.cipher()).startsWith("TLS_");
        assertThat(mx.certificateValid()).isTrue();
        assertThat(mx.nameMatches()).isTrue();
        assertThat(mx.error()).isNull();
        assertThat(report.mtaSts()).isEqualTo(new TlsReport.MtaSts("enforce", true));
        assertThat(report.dane().tlsa()).isFalse();
    }

    @Test
    void checkWhenMtaStsInTestingModeThenTls() {
        dns.add("_mta-sts.testing.test TXT \"v=STSv1; id=1;\"");
        TestTls.Props props = props().override("testing.test", "localhost:" + goodServer.port());
        TestTls.RecordedPolicies policies = new TestTls.RecordedPolicies()
                .serveText("testing.test", "version: STSv1\nmode: testing\nmx: localhost\nmax_age: 86400\n");

        TlsReport report = check(props, policies, "testing.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        assertThat(report.mtaSts()).isEqualTo(new TlsReport.MtaSts("testing", true));
        assertThat(report.mx().get(0).verified()).isTrue();
    }

    @Test
    void checkWhenMtaStsEnforceDoesNotCoverTheMxThenTls() {
        dns.add("_mta-sts.elsewhere.test TXT \"v=STSv1; id=1;\"");
        TestTls.Props props = props().override("elsewhere.test", "localhost:" + goodServer.port());
        TestTls.RecordedPolicies policies = new TestTls.RecordedPolicies().serve("elsewhere.test", "enforce-gmail.txt");

        TlsReport report = check(props, policies, "elsewhere.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        assertThat(report.mtaSts()).isEqualTo(new TlsReport.MtaSts("enforce", false));
    }

    @Test
    void checkWhenPolicyServedButNoMtaStsRecordThenPolicyIgnored() {
        TestTls.Props props = props().override("norecord.test", "localhost:" + goodServer.port());
        TestTls.RecordedPolicies policies = new TestTls.RecordedPolicies()
                .serveText("norecord.test", "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 86400\n");

        TlsReport report = check(props, policies, "norecord.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        assertThat(report.mtaSts()).isEqualTo(new TlsReport.MtaSts(null, null));
    }

    @Test
    void checkWhenTlsaRecordMatchesAndResolverValidatedThenTlsVerified() throws Exception {
        TlsReport report;
        try (StubDnsServer daneDns = new StubDnsServer()) {
            daneDns.add("_25._tcp.localhost TLSA 3 1 1 " + spkiSha256(good)).authenticated("_25._tcp.localhost");
            TestTls.Props props = props().override("dane.test", "localhost:" + goodServer.port());
            props.resolver = daneDns.address();

            report = check(props, new TestTls.RecordedPolicies(), "dane.test");
        }

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS_VERIFIED);
        assertThat(report.dane()).isEqualTo(new TlsReport.Dane(true, true, true));
    }

    @Test
    void checkWhenTlsaRecordPresentButNotDnssecValidatedThenTls() throws Exception {
        dns.add("_25._tcp.mx.insecure.test TLSA 3 1 1 " + spkiSha256(good)).add("mx.insecure.test A 127.0.0.1");
        dns.add("insecure.test MX 10 mx.insecure.test.");
        TestTls.Props props = props();
        props.port = goodServer.port();
        TestPki.Issued cert = TestPki.leaf(ca, "mx.insecure.test", "mx.insecure.test");
        try (TestSmtpServer server = TestSmtpServer.starttls(TestPki.serverContext(cert))) {
            props.port = server.port();
            dns.add("_25._tcp.mx.insecure.test TLSA 3 1 1 " + spkiSha256(cert));

            TlsReport report = check(props, new TestTls.RecordedPolicies(), "insecure.test");

            assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
            assertThat(report.dane().tlsa()).isTrue();
            assertThat(report.dane().dnssecValidated()).isFalse();
            assertThat(report.mx().get(0).verified()).isTrue();
        }
    }

    @Test
    void checkWhenMxFromDnsWithValidatedTlsaThenProbesPreferredHostsInOrderAndTlsVerified() throws Exception {
        dns.add("dns.test MX 20 mx2.dns.test.")
                .add("dns.test MX 10 mx1.dns.test.")
                .add("dns.test MX 30 mx3.dns.test.")
                .add("mx1.dns.test A 127.0.0.1")
                .add("mx2.dns.test A 127.0.0.1")
                .add("_25._tcp.mx1.dns.test TLSA 2 0 1 " + sha256(ca.cert().getEncoded()))
                .add("_25._tcp.mx2.dns.test TLSA 3 1 1 " + spkiSha256(good))
                .authenticated("dns.test")
                .authenticated("_25._tcp.mx1.dns.test")
                .authenticated("_25._tcp.mx2.dns.test");
        TestTls.Props props = props();
        props.port = goodServer.port();

        TlsReport report = check(props, new TestTls.RecordedPolicies(), "DNS.test.");

        assertThat(report.mx()).extracting(TlsReport.MxHost::host).containsExactly("mx1.dns.test", "mx2.dns.test");
        assertThat(report.mx()).extracting(TlsReport.MxHost::preference).containsExactly(10, 20);
        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS_VERIFIED);
        assertThat(dns.queryCount("mx3.dns.test", org.xbill.DNS.Type.A)).isZero();
    }

    @Test
    void checkWhenSelfSignedCertificateThenTlsWithCertificateInvalid() {
        dns.add("_mta-sts.selfsigned.test TXT \"v=STSv1; id=1;\"");
        TestTls.Props props = props().override("selfsigned.test", "localhost:" + selfSignedServer.port());
        TestTls.RecordedPolicies policies = new TestTls.RecordedPolicies()
                .serveText("selfsigned.test", "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 86400\n");

        TlsReport report = timed(Duration.ofSeconds(5), () -> check(props, policies, "selfsigned.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        TlsReport.MxHost mx = report.mx().get(0);
        assertThat(mx.starttls()).isTrue();
        assertThat(mx.tlsVersion()).isNotNull();
        assertThat(mx.certificateValid()).isFalse();
        assertThat(mx.nameMatches()).isTrue();
        assertThat(mx.error()).startsWith("certificate not trusted");
    }

    @Test
    void checkWhenCertificateNamesAnotherHostThenTlsWithNameMismatch() {
        TestTls.Props props = props().override("wrongname.test", "localhost:" + wrongNameServer.port());

        TlsReport report = check(props, new TestTls.RecordedPolicies(), "wrongname.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        assertThat(report.mx().get(0).certificateValid()).isTrue();
        assertThat(report.mx().get(0).nameMatches()).isFalse();
        assertThat(report.mx().get(0).error()).isEqualTo("certificate does not name localhost");
    }

    @Test
    void checkWhenCertificateExpiredThenCertificateInvalid() {
        TestTls.Props props = props().override("expired.test", "localhost:" + expiredServer.port());

        TlsReport report = check(props, new TestTls.RecordedPolicies(), "expired.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        assertThat(report.mx().get(0).certificateValid()).isFalse();
    }

    @Test
    void checkWhenTrustStoreIsJvmDefaultThenTestCaNotTrusted() {
        TestTls.Props props = props().override("defaulttrust.test", "localhost:" + goodServer.port());
        props.trustStore = null;

        TlsReport report = check(props, new TestTls.RecordedPolicies(), "defaulttrust.test");

        assertThat(report.mx().get(0).starttls()).isTrue();
        assertThat(report.mx().get(0).certificateValid()).isFalse();
    }

    @Test
    void checkWhenStartTlsNotOfferedThenNoTls() {
        TestTls.Props props = props().override("plain.test", "localhost:" + plainServer.port());

        TlsReport report =
                timed(Duration.ofSeconds(5), () -> check(props, new TestTls.RecordedPolicies(), "plain.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        TlsReport.MxHost mx = report.mx().get(0);
        assertThat(mx.starttls()).isFalse();
        assertThat(mx.tlsVersion()).isNull();
        assertThat(mx.certificateValid()).isNull();
        assertThat(mx.error()).isEqualTo("STARTTLS not offered");
    }

    @Test
    void checkWhenStartTlsHandshakeFailsThenNoTls() {
        TestTls.Props props = props().override("broken.test", "localhost:" + brokenTlsServer.port());

        TlsReport report = check(props, new TestTls.RecordedPolicies(), "broken.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        assertThat(report.mx().get(0).error()).startsWith("STARTTLS offered but the TLS handshake failed");
    }

    @Test
    void checkWhenServerAcceptsAndNeverSpeaksThenUnreachableWithinReadTimeout() {
        TestTls.Props props = props().override("silent.test", "127.0.0.1:" + silentServer.port());
        props.readTimeout = Duration.ofSeconds(1);

        TlsReport report =
                timed(Duration.ofSeconds(4), () -> check(props, new TestTls.RecordedPolicies(), "silent.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.UNREACHABLE);
        assertThat(report.mx().get(0).reachable()).isFalse();
        assertThat(report.mx().get(0).error()).isEqualTo("no SMTP greeting within 1 s");
    }

    @Test
    void checkWhenServerNeverSpeaksWithDefaultTimeoutsThenUnreachableWithin30Seconds() {
        TestTls.Props props = props().override("silent-default.test", "127.0.0.1:" + silentServer.port());
        TlsProperties defaults = new TestTls.Props().build();
        props.connectTimeout = Duration.ofSeconds(5);
        props.readTimeout = Duration.ofSeconds(10);
        props.checkTimeout = Duration.ofSeconds(25);

        TlsReport report = timed(
                Duration.ofSeconds(30), () -> check(props, new TestTls.RecordedPolicies(), "silent-default.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.UNREACHABLE);
        assertThat(defaults.checkTimeout()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void checkWhenPortClosedThenUnreachableQuickly() throws Exception {
        int closed = TestSmtpServer.closedPort();
        TestTls.Props props = props().override("closed.test", "127.0.0.1:" + closed);

        TlsReport report =
                timed(Duration.ofSeconds(3), () -> check(props, new TestTls.RecordedPolicies(), "closed.test"));

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.UNREACHABLE);
        assertThat(report.mx().get(0).error()).contains("port " + closed).contains("failed");
    }

    @Test
    void checkWhenOneOfTwoMxHostsHasNoTlsThenNoTls() throws Exception {
        TestPki.Issued cert = TestPki.leaf(ca, "mx1.mixed.test", "mx1.mixed.test", "mx2.mixed.test");
        try (TestSmtpServer tls = TestSmtpServer.starttls(TestPki.serverContext(cert));
                TestSmtpServer plain = TestSmtpServer.plainOn(InetAddress.getByName("127.0.0.2"), tls.port())) {
            dns.add("mixed.test MX 10 mx1.mixed.test.")
                    .add("mixed.test MX 20 mx2.mixed.test.")
                    .add("mx1.mixed.test A 127.0.0.1")
                    .add("mx2.mixed.test A 127.0.0.2");
            TestTls.Props props = props();
            props.port = tls.port();

            TlsReport report = check(props, new TestTls.RecordedPolicies(), "mixed.test");

            assertThat(report.mx()).extracting(TlsReport.MxHost::starttls).containsExactly(true, false);
            assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.NO_TLS);
        }
    }

    @Test
    void checkWhenSecondMxUnreachableThenVerdictFromTheReachableOne() throws Exception {
        TestPki.Issued cert = TestPki.leaf(ca, "mx1.half.test", "mx1.half.test");
        try (TestSmtpServer server = TestSmtpServer.starttls(TestPki.serverContext(cert))) {
            dns.add("half.test MX 10 mx1.half.test.")
                    .add("half.test MX 10 mx2.half.test.")
                    .add("mx1.half.test A 127.0.0.1")
                    .add("mx2.half.test A 127.0.0.3");
            TestTls.Props props = props();
            props.port = server.port();

            TlsReport report = check(props, new TestTls.RecordedPolicies(), "half.test");

            assertThat(report.mx()).extracting(TlsReport.MxHost::reachable).containsExactly(true, false);
            assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        }
    }

    @Test
    void checkWhenNoMxButAnAddressThenProbesTheDomainItself() throws Exception {
        TestPki.Issued cert = TestPki.leaf(ca, "amx.test", "amx.test");
        try (TestSmtpServer server = TestSmtpServer.starttls(TestPki.serverContext(cert))) {
            dns.add("amx.test A 127.0.0.1");
            TestTls.Props props = props();
            props.port = server.port();

            TlsReport report = check(props, new TestTls.RecordedPolicies(), "amx.test");

            assertThat(report.mx()).extracting(TlsReport.MxHost::host).containsExactly("amx.test");
            assertThat(report.mx().get(0).preference()).isZero();
            assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.TLS);
        }
    }

    @Test
    void checkWhenDomainDoesNotExistThenNoMx() {
        dns.nxdomain("nowhere.test");

        TlsReport report = check(props(), new TestTls.RecordedPolicies(), "nowhere.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.NO_MX);
        assertThat(report.mx()).isEmpty();
    }

    @Test
    void checkWhenDnsFailsThenUnreachableWithTheReason() {
        dns.servfail("broken-dns.test");

        TlsReport report = check(props(), new TestTls.RecordedPolicies(), "broken-dns.test");

        assertThat(report.verdict()).isEqualTo(TlsReport.Verdict.UNREACHABLE);
        assertThat(report.mx().get(0).error()).contains("SERVFAIL");
    }

    static String spkiSha256(TestPki.Issued issued) throws Exception {
        return sha256(issued.cert().getPublicKey().getEncoded());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
