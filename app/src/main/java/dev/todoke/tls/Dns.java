package dev.todoke.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS queries of the TLS check, through dnsjava and one resolver (the system's or the configured
 * one). Asks for DNSSEC (DO bit, AD bit) so that a validating resolver reports whether it validated the
 * answer. Thread-safe.
 */
final class Dns {

    private final Resolver resolver;

    Dns(Resolver resolver) {
        this.resolver = resolver;
    }

    /** A resolver for {@code host:port}, or the system's (from /etc/resolv.conf) when null. */
    static Dns of(String hostPort, Duration timeout) {
        Resolver resolver;
        if (hostPort == null) {
            resolver = new ExtendedResolver();
        } else {
            HostAndPort hp = HostAndPort.parse(hostPort, 53, "todoke.tls.resolver");
            try {
                resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("todoke.tls.resolver: unknown host " + hp.host(), e);
            }
        }
        resolver.setTimeout(timeout);
        resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        return new Dns(resolver);
    }

    /**
     * One answer.
     *
     * @param nxdomain the name does not exist
     * @param records the answer records of the asked type
     * @param authenticated the resolver set the AD flag (it validated the answer with DNSSEC)
     */
    record Answer(boolean nxdomain, List<Record> records, boolean authenticated) {}

    /** A DNS failure other than "no such name": timeout, SERVFAIL, REFUSED, a malformed reply. */
    static final class DnsException extends IOException {
        private static final long serialVersionUID = 1L;

        DnsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Answer query(String name, int type) throws DnsException {
        String what = Type.string(type) + " " + name;
        Message reply;
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            query.getHeader().setFlag(Flags.AD);
            reply = resolver.send(query);
        } catch (TextParseException e) {
            throw new DnsException("invalid DNS name " + name, e);
        } catch (IOException e) {
            throw new DnsException("DNS lookup of " + what + " failed: " + describe(e), e);
        }
        int rcode = reply.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer(true, List.of(), reply.getHeader().getFlag(Flags.AD));
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsException("DNS lookup of " + what + " failed: " + Rcode.string(rcode), null);
        }
        List<Record> records = new ArrayList<>();
        for (Record r : reply.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                records.add(r);
            }
        }
        return new Answer(false, List.copyOf(records), reply.getHeader().getFlag(Flags.AD));
    }

    /** The IPv4 then IPv6 addresses of a host; empty when it has none. */
    List<InetAddress> addresses(String host) throws DnsException {
        List<InetAddress> result = new ArrayList<>();
        for (Record r : query(host, Type.A).records()) {
            result.add(((ARecord) r).getAddress());
        }
        for (Record r : query(host, Type.AAAA).records()) {
            result.add(((AAAARecord) r).getAddress());
        }
        return result;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
