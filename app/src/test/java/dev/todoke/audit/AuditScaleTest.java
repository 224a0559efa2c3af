package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Verification, a deep page and the CSV stream over many rows on PostgreSQL, with timings on stdout. Off by
 * default (minutes, not a unit test): {@code -Dtodoke.audit.scale=1000000}. Rows are written in bulk with
 * their correct chain values, as {@link AuditLog} would have.
 */
@EnabledIfSystemProperty(named = "todoke.audit.scale", matches = "\\d+")
class AuditScaleTest {

    static final AuditKey KEY = AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    @RegisterExtension
    final Databases.SchemaPerTest schema = new Databases.SchemaPerTest();

    @Test
    void verifyAndPagesAndCsvWhenManyRowsThenBoundedAndTimed() throws Exception {
        int rows = Integer.parseInt(System.getProperty("todoke.audit.scale"));
        // one pooled connection, as the application's pool would give (a new connection per statement would
        // measure connection set-up instead)
        SingleConnectionDataSource dataSource =
                new SingleConnectionDataSource(schema.dataSource().getConnection(), true);
        try {
            measure(dataSource, rows);
        } finally {
            dataSource.destroy();
        }
    }

    private static void measure(DataSource dataSource, int rows) throws Exception {
        long started = System.nanoTime();
        String last = fill(dataSource, rows);
        System.out.printf("insert %d rows: %d ms%n", rows, (System.nanoTime() - started) / 1_000_000);
        JdbcClient.create(dataSource)
                .sql("update audit_chain set last_id = ?, last_chain = ? where id = 1")
                .params(rows, last)
                .update();
        JdbcClient.create(dataSource).sql("analyze audit_event").update();
        AuditQuery query = new AuditQuery(dataSource, KEY);

        long heapBefore = usedHeap();
        started = System.nanoTime();
        AuditQuery.Verification verification = query.verify();
        System.out.printf(
                "verify: %d ms, heap growth after GC %d MB%n",
                (System.nanoTime() - started) / 1_000_000, (usedHeap() - heapBefore) / 1_000_000);
        assertThat(verification).isEqualTo(new AuditQuery.Verification(true, null));

        started = System.nanoTime();
        AuditQuery.Page deep = query.search(
                new AuditQuery.Filter(null, null, "recipient:r7@partner.example", null, null, null), 200, 50);
        System.out.printf(
                "actor filter, page 200: %d ms, total %d%n", (System.nanoTime() - started) / 1_000_000, deep.total());
        started = System.nanoTime();
        AuditQuery.Page all = query.search(AuditQuery.Filter.all(), 0, 500);
        System.out.printf("no filter, first page of 500: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(all.total()).isEqualTo(rows);

        AtomicLong streamed = new AtomicLong();
        started = System.nanoTime();
        query.each(AuditQuery.Filter.all(), e -> streamed.incrementAndGet());
        System.out.printf("stream every row: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(streamed.get()).isEqualTo(rows);
    }

    private static String fill(DataSource dataSource, int rows) throws Exception {
        AuditChain chain = new AuditChain(KEY);
        String previous = AuditChain.GENESIS;
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Connection connection = dataSource.getConnection();
        try (PreparedStatement insert = connection.prepareStatement("insert into audit_event"
                + " (id, at, actor, kind, message_id, link_id, address, client_ip, detail, chain)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (int i = 1; i <= rows; i++) {
                String address = "r" + (i % 100) + "@partner.example";
                AuditQuery.Event event = new AuditQuery.Event(
                        i,
                        start.plusSeconds(i),
                        AuditLog.recipient(address),
                        i % 3 == 0 ? "file-downloaded" : "link-viewed",
                        UUID.nameUUIDFromBytes(Integer.toString(i / 10).getBytes()),
                        null,
                        address,
                        "203.0.113." + (i % 250),
                        null,
                        null);
                previous = chain.next(previous, event);
                insert.setLong(1, i);
                insert.setObject(2, event.at().atOffset(ZoneOffset.UTC));
                insert.setString(3, event.actor());
                insert.setString(4, event.action());
                insert.setObject(5, event.transfer());
                insert.setObject(6, null);
                insert.setString(7, address);
                insert.setString(8, event.clientIp());
                insert.setString(9, null);
                insert.setString(10, previous);
                insert.addBatch();
                if (i % 5000 == 0) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return previous;
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
