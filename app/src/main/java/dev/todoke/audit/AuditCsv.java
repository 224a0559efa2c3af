package dev.todoke.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The CSV form of audit rows (RFC 4180): a header line {@value #HEADER} (UTF-8, no byte-order mark), then one
 * line per row, lines ending in CRLF. A field is quoted ({@code "..."}, inner quotes doubled) when it holds a
 * comma, a quote, CR or LF, or starts or ends with a space; null is an empty field. Values are written
 * exactly as stored (no spreadsheet-formula escaping), so the chain can be recomputed from the file.
 */
final class AuditCsv {

    static final String HEADER = "id,at,actor,action,transfer,linkId,address,clientIp,detail,chain";

    private final Writer out;

    AuditCsv(Writer out) {
        this.out = out;
    }

    void header() {
        line(HEADER);
    }

    void row(AuditQuery.Event e) {
        line(String.join(
                ",",
                Long.toString(e.id()),
                AuditChain.at(e.at()),
                field(e.actor()),
                field(e.action()),
                e.transfer() == null ? "" : e.transfer().toString(),
                e.linkId() == null ? "" : e.linkId().toString(),
                field(e.address()),
                field(e.clientIp()),
                field(e.detail()),
                field(e.chain())));
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\r') >= 0
                || value.indexOf('\n') >= 0
                || value.startsWith(" ")
                || value.endsWith(" ");
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private void line(String text) {
        try {
            out.write(text);
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
