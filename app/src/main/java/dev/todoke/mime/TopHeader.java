package dev.todoke.mime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level header section of a raw message, read straight from its file: the fields with their byte
 * ranges (values one char per octet, unfolded) and where the section ends (the empty line, or the first
 * line that is no field, where the body starts). Used where the message's bytes must stay the original's
 * outside the header, whatever the parser made of its body. Immutable.
 */
record TopHeader(List<HeaderField> fields, long end) {

    /** More header than any message the parser accepts (its limits are far lower). */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    TopHeader {
        fields = List.copyOf(fields);
    }

    /** Reads from the start of the file (positional: the channel's position is left to the caller). */
    static TopHeader read(FileChannel channel) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 16 * 1024);
        List<HeaderField> fields = new ArrayList<>();
        String name = null;
        long start = 0;
        StringBuilder value = new StringBuilder();
        long position = 0;
        while (true) {
            byte[] line = line(in);
            long lineStart = position;
            if (line == null) {
                finish(fields, name, start, position, value);
                return new TopHeader(fields, position);
            }
            position += line.length;
            if (position > MAX_BYTES) {
                throw new IOException("the header section is larger than " + MAX_BYTES + " octets");
            }
            String text = new String(line, StandardCharsets.ISO_8859_1).replaceAll("[\r\n]+$", "");
            if (text.isEmpty()) {
                finish(fields, name, start, lineStart, value);
                return new TopHeader(fields, lineStart);
            }
            char first = text.charAt(0);
            if (first == ' ' || first == '\t') {
                if (name != null) {
                    value.append(text);
                }
                continue;
            }
            if (!ContentFields.isField(text)) {
                finish(fields, name, start, lineStart, value);
                return new TopHeader(fields, lineStart);
            }
            finish(fields, name, start, lineStart, value);
            int colon = text.indexOf(':');
            name = colon < 0 ? "" : text.substring(0, colon).trim();
            start = lineStart;
            value.setLength(0);
            value.append(colon < 0 ? text : text.substring(colon + 1));
        }
    }

    private static void finish(List<HeaderField> fields, String name, long start, long end, StringBuilder value) {
        if (name != null) {
            fields.add(new HeaderField(name, start, end, value.toString().trim()));
        }
    }

    /** One line with its line break, or null at the end of the file. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
