package dev.todoke.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The address fields of a message's top-level header: reads the addresses in To and Cc (address lists
 * with display names, quoted strings, groups, comments, encoded words, folding), and builds the To and Cc
 * of a forced-BCC copy ({@link OnlyRecipient}). Every generated line stays within 998 octets. Stateless
 * and thread-safe.
 */
public final class AddressHeaders {

    private static final byte[] CRLF = {'\r', '\n'};

    private AddressHeaders() {}

    /**
     * Every address in the top-level To and Cc fields of a raw message, in order, duplicates included.
     *
     * @throws IOException when the file cannot be read, or its header section is absurdly large
     */
    public static List<String> toAndCc(Path message) throws IOException {
        try (FileChannel channel = FileChannel.open(message, StandardOpenOption.READ)) {
            TopHeader header = TopHeader.read(channel);
            SpoolCopier reader = new SpoolCopier(channel, java.io.OutputStream.nullOutputStream(), message);
            List<String> addresses = new ArrayList<>();
            for (AddressList.Mailbox m : mailboxes(header.fields(), reader)) {
                addresses.add(m.address());
            }
            return addresses;
        }
    }

    /**
     * The fields with every To, Cc and Bcc removed and, where the first of them was, the copy's new To
     * and (when a mailbox is kept) Cc as complete folded fields ({@code byte[]} with CRLF).
     */
    static List<Object> onlyRecipient(List<Object> fields, OnlyRecipient only, SpoolCopier raw) throws IOException {
        List<HeaderField> addressFields = new ArrayList<>();
        List<Object> result = new ArrayList<>(fields.size());
        int at = -1;
        for (Object f : fields) {
            if (f instanceof HeaderField h && isAddressField(h.lowerName())) {
                if (at < 0) {
                    at = result.size();
                }
                addressFields.add(h);
                continue;
            }
            result.add(f);
        }
        List<AddressList.Mailbox> mailboxes = mailboxes(addressFields, raw);
        byte[] to = null;
        List<String> cc = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String recipient = only.recipient().toLowerCase(Locale.ROOT);
        for (AddressList.Mailbox m : mailboxes) {
            String key = m.address().toLowerCase(Locale.ROOT);
            if (key.equals(recipient)) {
                if (to == null) {
                    to = m.raw().getBytes(StandardCharsets.ISO_8859_1);
                }
            } else if (only.keepInCc().test(m.address()) && seen.add(key)) {
                cc.add(m.raw());
            }
        }
        if (to == null) {
            to = only.recipient().getBytes(StandardCharsets.UTF_8);
        }
        List<Object> added = new ArrayList<>(2);
        added.add(field("To: ", List.of(to)));
        if (!cc.isEmpty()) {
            added.add(field(
                    "Cc: ",
                    cc.stream()
                            .map(s -> s.getBytes(StandardCharsets.ISO_8859_1))
                            .toList()));
        }
        result.addAll(at < 0 ? result.size() : at, added);
        return result;
    }

    private static boolean isAddressField(String lowerName) {
        return lowerName.equals("to") || lowerName.equals("cc") || lowerName.equals("bcc");
    }

    /** The mailboxes of the To and Cc fields among these (Bcc ignored), read from their octets. */
    private static List<AddressList.Mailbox> mailboxes(List<HeaderField> fields, SpoolCopier raw) throws IOException {
        List<AddressList.Mailbox> result = new ArrayList<>();
        for (HeaderField h : fields) {
            String lower = h.lowerName();
            if (lower.equals("to") || lower.equals("cc")) {
                String text = new String(raw.bytes(h.start(), h.end()), StandardCharsets.ISO_8859_1);
                String value = text.substring(text.indexOf(':') + 1).replaceAll("\r?\n|\r", "");
                result.addAll(AddressList.parse(value));
            }
        }
        return result;
    }

    /** {@code Name: a,} CRLF SP {@code b} CRLF: one mailbox per line, folded again if one is too long. */
    static byte[] field(String name, List<byte[]> mailboxes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        boolean tooLong = false;
        for (int i = 0; i < mailboxes.size(); i++) {
            byte[] m = mailboxes.get(i);
            if (i > 0) {
                out.writeBytes(new byte[] {',', '\r', '\n', ' '});
            }
            out.writeBytes(m);
            tooLong |= m.length + name.length() + 1 > SpoolCopier.MAX_LINE;
        }
        out.writeBytes(CRLF);
        return tooLong ? SpoolCopier.fold(out.toByteArray()) : out.toByteArray();
    }
}
