package dev.todoke.mime;

import java.util.Locale;

/**
 * One header field of an entity: where its raw bytes are in the spool file (line breaks included) and
 * its unfolded value (not yet RFC 2047-decoded).
 */
record HeaderField(String name, long start, long end, String value) {

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
