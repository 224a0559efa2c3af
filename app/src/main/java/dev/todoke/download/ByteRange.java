package dev.todoke.download;

/**
 * One byte range of an HTTP {@code Range: bytes=...} header against a file of known size (RFC 9110
 * 14.1.2). Only a single range is served; several ranges, or a header in another unit, are ignored and
 * the whole file is sent, which the RFC allows.
 *
 * @param start first byte
 * @param length number of bytes
 */
record ByteRange(long start, long length) {

    /** What a Range header asks for. */
    sealed interface Request {}

    /** The whole file (no header, or one we ignore). */
    record Whole() implements Request {}

    /** One satisfiable range: answer 206. */
    record Partial(ByteRange range) implements Request {}

    /** A range wholly past the end: answer 416. */
    record Unsatisfiable() implements Request {}

    long end() {
        return start + length - 1;
    }

    static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = value.substring(6).strip();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return new Unsatisfiable();
                }
                long length = Math.min(suffix, size);
                return new Partial(new ByteRange(size - length, length));
            }
            long start = Long.parseLong(first);
            if (start < 0) {
                return new Whole();
            }
            if (start >= size) {
                return new Unsatisfiable();
            }
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (end < start) {
                return new Whole();
            }
            return new Partial(new ByteRange(start, end - start + 1));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
