package dev.todoke.tls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny DNS responder on 127.0.0.1 (UDP, random port) built on dnsjava's message classes: answers from
 * the records given, NXDOMAIN or SERVFAIL for names so marked, nothing at all for silent names, and the
 * AD flag for names marked as DNSSEC-validated. Unknown names answer NOERROR without records.
 */
final class StubDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final Set<Name> nxdomain = ConcurrentHashMap.newKeySet();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Set<Name> authenticated = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();

    StubDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("stub-dns").start(this::loop);
    }

    /** {@code 127.0.0.1:port}, for {@code todoke.tls.resolver}. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Adds a record written as {@code name TYPE rdata}, e.g. {@code good.test MX 10 mx1.good.test.}. */
    StubDnsServer add(String zoneLine) {
        String[] parts = zoneLine.trim().split("\\s+", 3);
        try {
            records.add(Record.fromString(name(parts[0]), Type.value(parts[1]), DClass.IN, 300, parts[2], Name.root));
        } catch (IOException e) {
            throw new IllegalArgumentException(zoneLine, e);
        }
        return this;
    }

    StubDnsServer add(Record record) {
        records.add(record);
        return this;
    }

    StubDnsServer nxdomain(String name) {
        nxdomain.add(name(name));
        return this;
    }

    StubDnsServer servfail(String name) {
        servfail.add(name(name));
        return this;
    }

    StubDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    StubDnsServer authenticated(String name) {
        authenticated.add(name(name));
        return this;
    }

    int queryCount(String name, int type) {
        return queries.getOrDefault(name(name) + "/" + type, new AtomicInteger())
                .get();
    }

    static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private void loop() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Name qname = question.getName();
                queries.computeIfAbsent(qname + "/" + question.getType(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (silent.contains(qname)) {
                    continue;
                }
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.RD);
                reply.getHeader().setFlag(Flags.RA);
                if (authenticated.contains(qname)) {
                    reply.getHeader().setFlag(Flags.AD);
                }
                reply.addRecord(question, Section.QUESTION);
                if (servfail.contains(qname)) {
                    reply.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (nxdomain.contains(qname)) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    List<Record> answer = new ArrayList<>();
                    for (Record r : records) {
                        if (r.getName().equals(qname) && r.getType() == question.getType()) {
                            answer.add(r);
                        }
                    }
                    for (Record r : answer) {
                        reply.addRecord(r, Section.ANSWER);
                    }
                }
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
