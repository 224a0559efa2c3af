package dev.todoke.mime;

import java.util.List;

/**
 * Reads the MIME fields of a header section into a {@link Part}: Content-Type (with the defaults of RFC
 * 2045 and 2046), Content-Disposition, Content-Transfer-Encoding and Content-ID. Stateless.
 */
final class ContentFields {

    /** RFC 2046 allows 70; some mailers write more (the copy gets a new one when a line would pass 998). */
    static final int MAX_BOUNDARY = 16 * 1024;

    private ContentFields() {}

    /** A header field line: a name of printable ASCII other than the colon, then a colon (RFC 5322 2.2). */
    static boolean isField(String line) {
        if (line.startsWith("From ")) {
            return true; // an mbox separator left in the header: tolerated as a field, as readers do
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return false;
    }

    static void finishField(Part part, String name, long start, long end, StringBuilder value) {
        if (name != null) {
            part.fields.add(new HeaderField(name, start, end, value.toString().trim()));
        }
    }

    /** Reads Content-Type, Content-Disposition, Content-Transfer-Encoding and Content-ID. */
    static void interpret(Part part, List<String> boundaries) throws MimeRejectedException {
        String type = part.field("content-type");
        boolean digest = part.parent != null && part.parent.baseType().equals("multipart/digest");
        if (type == null) {
            part.contentType = new HeaderParams(digest ? "message/rfc822" : "text/plain", java.util.Map.of());
        } else {
            HeaderParams parsed = HeaderParams.parse(type);
            part.contentTypeDeclared = true;
            String base = parsed.value();
            int slash = base.indexOf('/');
            if (slash <= 0 || slash == base.length() - 1 || base.indexOf(' ') >= 0) {
                // unreadable type: an attachment is the safe reading
                parsed = new HeaderParams("application/octet-stream", parsed.params());
            }
            part.contentType = parsed;
        }
        String disposition = part.field("content-disposition");
        part.disposition = disposition == null ? HeaderParams.EMPTY : HeaderParams.parse(disposition);
        String cte = part.field("content-transfer-encoding");
        if (cte != null) {
            String token = HeaderParams.parse(cte).value();
            part.transferEncoding = token.isEmpty() ? "7bit" : token;
        }
        String id = part.field("content-id");
        if (id != null) {
            part.contentId = normalizeId(id);
        }
        if (part.baseType().startsWith("multipart/")) {
            String boundary = part.contentType.param("boundary");
            if (boundary != null && boundary.length() > MAX_BOUNDARY) {
                throw new MimeRejectedException("A multipart boundary is longer than " + MAX_BOUNDARY
                        + " characters (RFC 2046 allows 70), more than this gateway accepts.");
            }
            if (boundary != null && !boundary.isEmpty()) {
                for (String active : boundaries) {
                    if (active.equals(boundary)) {
                        throw new MimeRejectedException(
                                "A nested multipart reuses the boundary of an enclosing one, so its parts are ambiguous.");
                    }
                }
                part.boundary = boundary;
            }
        }
    }

    static String normalizeId(String id) {
        String s = id.trim();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        if (s.endsWith(">")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.trim();
    }
}
