package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditCsvTest {

    @Test
    void fieldWhenPlainThenAsIsAndNullEmpty() {
        assertThat(AuditCsv.field("link-viewed")).isEqualTo("link-viewed");
        assertThat(AuditCsv.field("=1+1")).isEqualTo("=1+1");
        assertThat(AuditCsv.field("日本語")).isEqualTo("日本語");
        assertThat(AuditCsv.field(null)).isEmpty();
        assertThat(AuditCsv.field("")).isEmpty();
    }

    @Test
    void fieldWhenSeparatorQuoteLineBreakOrEdgeSpaceThenQuotedWithQuotesDoubled() {
        assertThat(AuditCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditCsv.field("one\rtwo")).isEqualTo("\"one\rtwo\"");
        assertThat(AuditCsv.field("one\ntwo")).isEqualTo("\"one\ntwo\"");
        assertThat(AuditCsv.field(" padded")).isEqualTo("\" padded\"");
        assertThat(AuditCsv.field("padded ")).isEqualTo("\"padded \"");
    }

    @Test
    void rowWhenWrittenThenHeaderAndRowEndInCrlfWithTheChainLast() {
        StringWriter out = new StringWriter();
        AuditCsv csv = new AuditCsv(out);
        UUID transfer = UUID.fromString("0b5c6e1a-0000-4000-8000-000000000001");

        csv.header();
        csv.row(new AuditQuery.Event(
                7,
                Instant.parse("2026-12-01T09:00:00.000001Z"),
                "sender:taro@corp.example",
                "link-revoked",
                transfer,
                null,
                "h@p.example",
                "::1",
                "by sender, at once",
                "ab".repeat(32)));

        assertThat(out.toString())
                .isEqualTo("id,at,actor,action,transfer,linkId,address,clientIp,detail,chain\r\n"
                        + "7,2026-12-01T09:00:00.000001Z,sender:taro@corp.example,link-revoked," + transfer
                        + ",,h@p.example,::1,\"by sender, at once\"," + "ab".repeat(32) + "\r\n");
    }
}
