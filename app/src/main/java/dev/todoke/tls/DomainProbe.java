package dev.todoke.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One whole check of a domain, uncached: MX lookup, then in parallel the MTA-STS policy and, for each
 * preferred MX host, its addresses, the SMTP probe and its TLSA records. Ends within the check timeout:
 * what has not finished by then counts as unreachable. Thread-safe.
 */
final class DomainProbe {

    private static final Logger log = LoggerFactory.getLogger(DomainProbe.class);

    private final Dns dns;
    private final MxLookup mxLookup;
    private final SmtpProbe smtp;
    private final MtaStsPolicyFetcher mtaSts;
    private final ExecutorService executor;
    private final Clock clock;
    private final int maxMxHosts;
    private final Duration checkTimeout;
    private final Duration mtaStsTimeout;

    DomainProbe(
            Dns dns,
            MxLookup mxLookup,
            SmtpProbe smtp,
            MtaStsPolicyFetcher mtaSts,
            ExecutorService executor,
            Clock clock,
            int maxMxHosts,
            Duration checkTimeout,
            Duration mtaStsTimeout) {
        this.dns = dns;
        this.mxLookup = mxLookup;
        this.smtp = smtp;
        this.mtaSts = mtaSts;
        this.executor = executor;
        this.clock = clock;
        this.maxMxHosts = maxMxHosts;
        this.checkTimeout = checkTimeout;
        this.mtaStsTimeout = mtaStsTimeout;
    }

    /** A probed host with its TLSA records (null when the lookup failed). */
    private record HostOutcome(SmtpProbe.Result probe, Dns.Answer tlsa) {}

    /** Checks {@code domain} (already normalised). Never throws. */
    TlsReport run(String domain) {
        long deadline = System.nanoTime() + checkTimeout.toNanos();
        try {
            return run(domain, deadline);
        } catch (RuntimeException e) {
            log.warn("TLS check of {} failed unexpectedly", domain, e);
            TlsReport.MxHost failed =
                    new TlsReport.MxHost(domain, 0, false, false, null, null, null, null, "check failed: " + e);
            return report(
                    domain, TlsReport.Verdict.UNREACHABLE, List.of(failed), TlsReport.MtaSts.NONE, TlsReport.Dane.NONE);
        }
    }

    private TlsReport run(String domain, long deadline) {
        Future<MxLookup.Result> lookup = executor.submit(() -> mxLookup.lookup(domain));
        MxLookup.Result mx = await(lookup, deadline)
                .orElseGet(() -> new MxLookup.Result(
                        MxLookup.Status.FAILED, List.of(), false, "DNS lookup of MX " + domain + " timed out"));
        switch (mx.status()) {
            case NO_MX -> {
                return report(domain, TlsReport.Verdict.NO_MX, List.of(), TlsReport.MtaSts.NONE, TlsReport.Dane.NONE);
            }
            case FAILED -> {
                TlsReport.MxHost failed =
                        new TlsReport.MxHost(domain, 0, false, false, null, null, null, null, mx.error());
                return report(
                        domain,
                        TlsReport.Verdict.UNREACHABLE,
                        List.of(failed),
                        TlsReport.MtaSts.NONE,
                        TlsReport.Dane.NONE);
            }
            case FOUND -> {
                // below
            }
        }
        Future<Optional<MtaStsPolicy>> policy = executor.submit(() -> mtaStsPolicy(domain, deadline));
        List<MxLookup.Target> targets = mx.targets().stream().limit(maxMxHosts).toList();
        List<Future<HostOutcome>> probes = new ArrayList<>();
        for (MxLookup.Target target : targets) {
            probes.add(executor.submit(() -> probeHost(target, deadline)));
        }

        List<TlsReport.MxHost> hosts = new ArrayList<>();
        List<HostOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            MxLookup.Target target = targets.get(i);
            HostOutcome outcome = await(probes.get(i), deadline)
                    .orElseGet(() -> new HostOutcome(
                            new SmtpProbe.Result(
                                    new TlsReport.MxHost(
                                            target.host(),
                                            target.preference(),
                                            false,
                                            false,
                                            null,
                                            null,
                                            null,
                                            null,
                                            "no answer within the check time (" + checkTimeout.toSeconds() + " s)"),
                                    new X509Certificate[0]),
                            null));
            outcomes.add(outcome);
            hosts.add(outcome.probe().host());
        }

        TlsReport.MtaSts sts = await(policy, deadline)
                .flatMap(p -> p)
                .map(p -> new TlsReport.MtaSts(p.mode(), hosts.stream().allMatch(h -> p.matches(h.host()))))
                .orElse(TlsReport.MtaSts.NONE);
        TlsReport.Dane dane = dane(outcomes, mx.authenticated());
        return report(domain, Verdicts.of(hosts, sts, dane), hosts, sts, dane);
    }

    private HostOutcome probeHost(MxLookup.Target target, long deadline) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            if (target.override()) {
                for (InetAddress a : InetAddress.getAllByName(target.host())) {
                    addresses.add(new InetSocketAddress(a, target.port()));
                }
            } else {
                for (InetAddress a : dns.addresses(target.host())) {
                    addresses.add(new InetSocketAddress(a, target.port()));
                }
            }
        } catch (UnknownHostException | Dns.DnsException e) {
            TlsReport.MxHost failed = new TlsReport.MxHost(
                    target.host(),
                    target.preference(),
                    false,
                    false,
                    null,
                    null,
                    null,
                    null,
                    "address lookup failed: " + e.getMessage());
            return new HostOutcome(new SmtpProbe.Result(failed, new X509Certificate[0]), null);
        }
        SmtpProbe.Result probe = smtp.probe(target.host(), target.preference(), addresses, deadline);
        Dns.Answer tlsa = null;
        if (!CertificateChecks.isIpLiteral(target.host())) {
            try {
                tlsa = dns.query("_25._tcp." + target.host(), Type.TLSA);
            } catch (Dns.DnsException e) {
                log.debug("TLSA lookup for {} failed: {}", target.host(), e.getMessage());
            }
        }
        return new HostOutcome(probe, tlsa);
    }

    private Optional<MtaStsPolicy> mtaStsPolicy(String domain, long deadline) {
        try {
            Dns.Answer txt = dns.query("_mta-sts." + domain, Type.TXT);
            List<String> records = new ArrayList<>();
            for (Record r : txt.records()) {
                records.add(String.join("", ((TXTRecord) r).getStrings()));
            }
            if (MtaStsPolicy.txtId(records).isEmpty()) {
                return Optional.empty();
            }
            Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
            if (remaining.isNegative() || remaining.isZero()) {
                return Optional.empty();
            }
            String text = mtaSts.fetch(domain, remaining.compareTo(mtaStsTimeout) < 0 ? remaining : mtaStsTimeout);
            return Optional.of(MtaStsPolicy.parse(text));
        } catch (Exception e) {
            log.debug("no usable MTA-STS policy for {}: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * DANE: TLSA records present for a probed host; validated when every TLSA answer and the answer that
     * named the hosts carried the AD flag; matching when every reachable host's chain matches its records.
     */
    private static TlsReport.Dane dane(List<HostOutcome> outcomes, boolean hostsAuthenticated) {
        boolean present = false;
        boolean validated = hostsAuthenticated;
        boolean matches = true;
        for (HostOutcome o : outcomes) {
            boolean hasRecords = o.tlsa() != null && !o.tlsa().records().isEmpty();
            present |= hasRecords;
            if (hasRecords) {
                validated &= o.tlsa().authenticated();
            }
            if (o.probe().host().reachable()) {
                List<TLSARecord> records = hasRecords
                        ? o.tlsa().records().stream()
                                .map(TLSARecord.class::cast)
                                .toList()
                        : List.of();
                matches &= DaneMatcher.matches(records, o.probe().chain());
            }
        }
        return present ? new TlsReport.Dane(true, validated, matches) : TlsReport.Dane.NONE;
    }

    private static <T> Optional<T> await(Future<T> future, long deadline) {
        try {
            long remaining = Math.max(0, deadline - System.nanoTime());
            return Optional.ofNullable(
                    future.get(remaining + TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Optional.empty();
        } catch (ExecutionException e) {
            log.warn("TLS check step failed", e.getCause());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return Optional.empty();
        }
    }

    private TlsReport report(
            String domain,
            TlsReport.Verdict verdict,
            List<TlsReport.MxHost> hosts,
            TlsReport.MtaSts mtaSts,
            TlsReport.Dane dane) {
        return new TlsReport(domain, verdict, clock.instant(), hosts, mtaSts, dane);
    }
}
