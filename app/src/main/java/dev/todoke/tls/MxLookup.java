package dev.todoke.tls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds the hosts that receive a domain's mail (RFC 5321 section 5.1): its MX records ordered by
 * preference; without MX records, the domain itself when it has an address; none for a null MX (RFC 7505)
 * or a domain that does not exist. {@code todoke.tls.mx-overrides} skip DNS.
 */
final class MxLookup {

    /** The outcome of a lookup. */
    enum Status {
        FOUND,
        NO_MX,
        FAILED
    }

    /**
     * One host to probe.
     *
     * @param host the host name
     * @param preference the MX preference (0 for an address fallback or an override)
     * @param port the SMTP port to probe
     * @param override whether it comes from {@code todoke.tls.mx-overrides} (its addresses then come from
     *     the system resolver, not from DNS through dnsjava)
     */
    record Target(String host, int preference, int port, boolean override) {}

    /**
     * @param status found, none, or DNS failed
     * @param targets the hosts, most preferred first
     * @param authenticated whether the answer that named the hosts was DNSSEC-validated
     * @param error what went wrong or why there is none; null when found
     */
    record Result(Status status, List<Target> targets, boolean authenticated, String error) {}

    private final Dns dns;
    private final Map<String, String> overrides;
    private final int port;

    MxLookup(Dns dns, Map<String, String> overrides, int port) {
        this.dns = dns;
        this.overrides = overrides;
        this.port = port;
    }

    Result lookup(String domain) {
        String override = overrides.get(domain);
        if (override != null) {
            HostAndPort hp = HostAndPort.parse(override, 25, "todoke.tls.mx-overrides");
            return new Result(Status.FOUND, List.of(new Target(hp.host(), 0, hp.port(), true)), true, null);
        }
        try {
            Dns.Answer mx = dns.query(domain, Type.MX);
            if (mx.nxdomain()) {
                return new Result(Status.NO_MX, List.of(), mx.authenticated(), "the domain does not exist");
            }
            if (!mx.records().isEmpty()) {
                List<Target> targets = new ArrayList<>();
                for (Record r : mx.records()) {
                    MXRecord m = (MXRecord) r;
                    targets.add(new Target(Domains.host(m.getTarget().toString()), m.getPriority(), port, false));
                }
                if (targets.size() == 1 && targets.get(0).host().isEmpty()) {
                    return new Result(
                            Status.NO_MX, List.of(), mx.authenticated(), "null MX: the domain accepts no mail");
                }
                targets.removeIf(t -> t.host().isEmpty());
                targets.sort(Comparator.comparingInt(Target::preference).thenComparing(Target::host));
                return new Result(Status.FOUND, List.copyOf(targets), mx.authenticated(), null);
            }
            Dns.Answer a = dns.query(domain, Type.A);
            Dns.Answer aaaa = a.records().isEmpty() ? dns.query(domain, Type.AAAA) : a;
            if (!aaaa.records().isEmpty()) {
                return new Result(
                        Status.FOUND,
                        List.of(new Target(domain, 0, port, false)),
                        mx.authenticated() && aaaa.authenticated(),
                        null);
            }
            return new Result(Status.NO_MX, List.of(), mx.authenticated(), "no MX record and no address");
        } catch (Dns.DnsException e) {
            return new Result(Status.FAILED, List.of(), false, e.getMessage());
        }
    }
}
