package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditKey;
import dev.todoke.audit.AuditLog;
import dev.todoke.database.Durability;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import dev.todoke.storage.KeyRing;
import dev.todoke.storage.SealedValues;
import dev.todoke.transfer.CopyRetries;
import dev.todoke.transfer.Holds;
import dev.todoke.transfer.Transfers;
import dev.todoke.web.Databases;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real parts for the step tests, without Spring or SMTP: an in-memory H2 database migrated by Flyway, an
 * encrypted filesystem blob store and the data directory under {@code dir}, a fixed clock.
 */
final class StepFixture {

    /** For steps tested without a database that needs barriers: every commit durable when it returns. */
    static final Durability DURABLE_AT_COMMIT = new Durability() {
        @Override
        public void barrier() {}

        @Override
        public Scope deferred() {
            return () -> {};
        }
    };

    static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SENDER = "sender@example.jp";
    static final String INTERNAL = "colleague@example.jp";
    static final String EXTERNAL = "alice@partner.example";
    static final String EXTERNAL_2 = "bob@other.example";

    final Path dir;
    final TodokeProperties todoke;
    final LinkProperties links = new LinkProperties(Duration.ofDays(7), Duration.ofDays(30));
    final JdbcClient jdbc;
    final DataSource dataSource;
    final TransactionTemplate transactions;
    final Transfers transfers;
    final Holds holds;
    final CopyRetries copyRetries;
    final AuditLog audit;
    final BlobStore blobs;
    final SealedValues sealed;
    private int spools;

    StepFixture(Path dir) {
        this.dir = dir;
        this.todoke = new TodokeProperties(URI.create("https://files.example.jp"), dir, List.of("example.jp"));
        this.dataSource = Databases.h2();
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.transfers = new Transfers(jdbc, transactions, event -> {});
        this.holds = new Holds(jdbc, transactions);
        this.copyRetries = new CopyRetries(jdbc);
        this.audit = new AuditLog(dataSource, CLOCK, AuditKey.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        KeyRing keys = KeyRing.of(Map.of("t", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), "t");
        this.blobs = new EncryptingBlobStore(
                new FileSystemBlobStore(dir.resolve("blobs"), new SecureRandom()), keys, new SecureRandom());
        this.sealed = new SealedValues(keys, new SecureRandom());
    }

    /** A mail to {@link #EXTERNAL} with one 3-byte attachment {@code a.pdf}. */
    static byte[] withOneAttachment() {
        try {
            return TestMails.mail()
                    .to(EXTERNAL)
                    .attach("a.pdf", new byte[] {1, 2, 3})
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transaction from {@link #SENDER} to these recipients over {@code raw}, spooled under {@link #dir}. */
    MailTransaction mail(byte[] raw, String... recipients) throws IOException {
        return mail(SENDER, raw, recipients);
    }

    MailTransaction mail(String sender, byte[] raw, String... recipients) throws IOException {
        Path spool = Files.write(dir.resolve("spool-" + (++spools) + ".eml"), raw);
        return new MailTransaction(new Envelope(sender, List.of(recipients), "192.0.2.1", "mta.example.jp"), spool);
    }

    /** The transaction after the policy (internal domains) and parse steps, ready to be stored. */
    MailTransaction parsed(byte[] raw, String... recipients) throws Exception {
        MailTransaction mail = mail(raw, recipients);
        new RecipientPolicyStep(RecipientPolicy.byInternalDomains(todoke)).apply(mail);
        mail.parsed(new MimeParser(MimeLimits.defaults()).parse(mail.spool()));
        return mail;
    }

    /** The transaction after the store step too. */
    MailTransaction stored(byte[] raw, String... recipients) throws Exception {
        MailTransaction mail = parsed(raw, recipients);
        storeStep().apply(mail);
        return mail;
    }

    StoreStep storeStep() {
        return new StoreStep(
                new AttachmentStore(blobs), transfers, new LinkTokens(new SecureRandom()), links, copyRetry(), CLOCK);
    }

    /** The keeping of copy tokens and acceptances across retries, over this fixture's parts. */
    CopyRetry copyRetry() {
        return new CopyRetry(copyRetries, holds, blobs, sealed, transfers, CLOCK);
    }

    int count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }
}
