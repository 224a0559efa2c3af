package dev.todoke.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The chain value of an audit row (docs/adr/0085): {@code HMAC-SHA256(key, encode(previous) || encode(id) ||
 * encode(at) || encode(actor) || encode(kind) || encode(messageId) || encode(linkId) || encode(address) ||
 * encode(clientIp) || encode(detail))}, in lower-case hex, after the label {@code todoke-audit-v1}. Each field
 * is encoded as its UTF-8 length (4 bytes, big-endian) and bytes, a null as length {@code -1}, so no two
 * different rows share an encoding. {@code id} is decimal, {@code at} the ISO-8601 instant at microsecond
 * precision (what the database keeps), the UUIDs in their canonical text. The first row's previous value is
 * the empty string. Stateless and thread-safe.
 */
final class AuditChain {

    static final String GENESIS = "";
    private static final byte[] LABEL = "todoke-audit-v1".getBytes(StandardCharsets.US_ASCII);

    private final AuditKey key;

    AuditChain(AuditKey key) {
        this.key = key;
    }

    /** The chain value of {@code row}, following {@code previous} (the previous row's value, or {@link #GENESIS}). */
    String next(String previous, AuditQuery.Event row) {
        Mac mac = key.mac();
        mac.update(LABEL);
        field(mac, previous);
        field(mac, Long.toString(row.id()));
        field(mac, at(row.at()));
        field(mac, row.actor());
        field(mac, row.action());
        field(mac, row.transfer() == null ? null : row.transfer().toString());
        field(mac, row.linkId() == null ? null : row.linkId().toString());
        field(mac, row.address());
        field(mac, row.clientIp());
        field(mac, row.detail());
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** Constant-time comparison of two chain values (either may be null). */
    static boolean same(String expected, String stored) {
        if (expected == null || stored == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    static String at(Instant at) {
        return at.toString();
    }

    private static void field(Mac mac, String value) {
        if (value == null) {
            mac.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
