package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MX lookup with dnsjava pointed at a stub DNS server on 127.0.0.1. */
class MxLookupTest {

    static StubDnsServer dns;
    static MxLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        dns = new StubDnsServer();
        lookup = new MxLookup(
                Dns.of(dns.address(), Duration.ofMillis(500)), Map.of("override.test", "localhost:2525"), 25);
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void lookupWhenSeveralMxThenOrderedByPreferenceThenName() {
        dns.add("order.test MX 20 b.order.test.")
                .add("order.test MX 10 z.order.test.")
                .add("order.test MX 20 a.order.test.")
                .add("order.test MX 5 first.order.test.");

        MxLookup.Result result = lookup.lookup("order.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.FOUND);
        assertThat(result.targets())
                .extracting(MxLookup.Target::host)
                .containsExactly("first.order.test", "z.order.test", "a.order.test", "b.order.test");
        assertThat(result.targets()).extracting(MxLookup.Target::preference).containsExactly(5, 10, 20, 20);
        assertThat(result.targets()).allMatch(t -> t.port() == 25 && !t.override());
    }

    @Test
    void lookupWhenNoMxButARecordThenTheDomainItselfWithPreferenceZero() {
        dns.add("fallback.test A 192.0.2.10");

        MxLookup.Result result = lookup.lookup("fallback.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.FOUND);
        assertThat(result.targets()).containsExactly(new MxLookup.Target("fallback.test", 0, 25, false));
    }

    @Test
    void lookupWhenNoMxButOnlyAaaaRecordThenTheDomainItself() {
        dns.add("v6.test AAAA 2001:db8::25");

        MxLookup.Result result = lookup.lookup("v6.test");

        assertThat(result.targets()).extracting(MxLookup.Target::host).containsExactly("v6.test");
    }

    @Test
    void lookupWhenNoMxAndNoAddressThenNoMx() {
        MxLookup.Result result = lookup.lookup("empty.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.NO_MX);
        assertThat(result.error()).isEqualTo("no MX record and no address");
    }

    @Test
    void lookupWhenNullMxThenNoMx() {
        dns.add("nullmx.test MX 0 .").add("nullmx.test A 192.0.2.1");

        MxLookup.Result result = lookup.lookup("nullmx.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.NO_MX);
        assertThat(result.error()).contains("null MX");
    }

    @Test
    void lookupWhenNxdomainThenNoMx() {
        dns.nxdomain("gone.test");

        assertThat(lookup.lookup("gone.test").status()).isEqualTo(MxLookup.Status.NO_MX);
    }

    @Test
    void lookupWhenServfailThenFailedWithReason() {
        dns.servfail("fail.test");

        MxLookup.Result result = lookup.lookup("fail.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.FAILED);
        assertThat(result.error()).contains("MX fail.test").contains("SERVFAIL");
    }

    @Test
    void lookupWhenResolverDoesNotAnswerThenFailedAfterTheDnsTimeout() {
        dns.silent("slow.test");
        long start = System.nanoTime();

        MxLookup.Result result = lookup.lookup("slow.test");

        assertThat(result.status()).isEqualTo(MxLookup.Status.FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void lookupWhenValidatedAnswerThenAuthenticated() {
        dns.add("signed.test MX 10 mx.signed.test.").authenticated("signed.test");
        dns.add("unsigned.test MX 10 mx.unsigned.test.");

        assertThat(lookup.lookup("signed.test").authenticated()).isTrue();
        assertThat(lookup.lookup("unsigned.test").authenticated()).isFalse();
    }

    @Test
    void lookupWhenOverriddenThenNoDnsQuery() {
        MxLookup.Result result = lookup.lookup("override.test");

        assertThat(result.targets()).containsExactly(new MxLookup.Target("localhost", 0, 2525, true));
        assertThat(dns.queryCount("override.test", org.xbill.DNS.Type.MX)).isZero();
    }
}
