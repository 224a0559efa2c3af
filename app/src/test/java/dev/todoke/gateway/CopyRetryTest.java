package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.BlobNotFoundException;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.TransferCleanup;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One copy per recipient across the upstream MTA's retries (ADR 0150), step by step: the tokens kept
 * encrypted while copies are on their way, the acceptances recorded, a retry that goes on with the
 * earlier attempt's message (same files, same links) whatever the grouping of its recipients, and what
 * the cleanup and the purger leave alone.
 */
class CopyRetryTest extends StepTestBase {

    private byte[] raw;
    private TransferCleanup cleanup;

    @BeforeEach
    void setUp() throws Exception {
        raw = TestMails.mail()
                .to(EXTERNAL, EXTERNAL_2)
                .cc(INTERNAL)
                .attach("plan.pdf", TestMails.randomBytes(5_000, 2))
                .build();
        cleanup = new TransferCleanup(fixture.jdbc);
    }

    /** The store step and the copy retry step, as the pipeline runs them for fresh mail. */
    private MailTransaction attempt(String... recipients) throws Exception {
        MailTransaction mail = fixture.parsed(raw, recipients);
        Next next = fixture.storeStep().apply(mail);
        if (next == Next.CONTINUE) {
            new CopyRetryStep(fixture.copyRetry()).apply(mail);
        }
        return mail;
    }

    private AttemptCleanup attemptCleanup() {
        return new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK);
    }

    /** The tokens kept in the message's copy_retry row, opened. */
    private HoldContext keptTokens(UUID id) throws Exception {
        byte[] sealed = fixture.copyRetries.context(id).orElseThrow();
        try (InputStream in = new ByteArrayInputStream(fixture.sealed.open(sealed, id.toString()))) {
            return HoldContext.read(in);
        }
    }

    @Test
    void applyWhenFreshMailThenTokensKeptEncryptedInTheRowUntilEveryCopyWasAccepted() throws Exception {
        int blobsBefore = blobFiles().size();
        MailTransaction mail = attempt(EXTERNAL, EXTERNAL_2, INTERNAL);
        UUID id = mail.recorded().messageId();

        HoldContext kept = keptTokens(id);
        assertThat(kept.linkTokens()).isEqualTo(mail.recorded().linkTokens());
        assertThat(kept.manageToken()).isEqualTo(mail.recorded().manageToken());
        String token = mail.recorded().linkTokens().get(EXTERNAL);
        assertThat(new String(fixture.copyRetries.context(id).orElseThrow(), StandardCharsets.ISO_8859_1))
                .as("only ciphertext in the database")
                .doesNotContain(token);
        assertThat(blobFiles())
                .as("one blob: the attachment; no blob for the tokens")
                .hasSize(blobsBefore + 1);
        assertThat(mail.ledger()).isInstanceOf(MessageLedger.class);

        new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions).apply(mail);

        assertThat(fixture.copyRetries.context(id)).isEmpty();
    }

    @Test
    void applyWhenRetryOfAnAttemptWhoseTokensAreInABlobThenGoesOnAndTheBlobGoesAtTheEnd() throws Exception {
        MailTransaction first = attempt(EXTERNAL, EXTERNAL_2, INTERNAL);
        UUID id = first.recorded().messageId();
        first.ledger().record(CopyLedger.copy(EXTERNAL));
        attemptCleanup().afterFailure(first);
        // As a version before V14 kept them: in a blob the row names, no sealed value in the row.
        String blob = fixture.blobs.put(keptTokens(id).open()).key();
        fixture.jdbc
                .sql("update copy_retry set context = null, context_blob = ? where message_id = ?")
                .params(blob, id)
                .update();

        MailTransaction retry = attempt(EXTERNAL, EXTERNAL_2, INTERNAL);

        assertThat(retry.recorded().messageId()).isEqualTo(id);
        assertThat(retry.recorded().linkTokens()).isEqualTo(first.recorded().linkTokens());
        assertThat(cleanup.blobKeys(id)).as("purged with the message").contains(blob);

        new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions).apply(retry);

        assertThatThrownBy(() -> fixture.blobs.open(blob)).isInstanceOf(BlobNotFoundException.class);
        assertThat(cleanup.blobKeys(id)).doesNotContain(blob);
        assertThat(fixture.count("copy_retry where context_blob is null and context is null"))
                .isEqualTo(1);
    }

    private List<Path> blobFiles() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void applyWhenRetriedAfterSomeCopiesWereAcceptedThenSameMessageSameLinksOnlyTheOthersLeft() throws Exception {
        MailTransaction first = attempt(EXTERNAL, EXTERNAL_2, INTERNAL);
        UUID id = first.recorded().messageId();
        first.ledger().record(CopyLedger.original(INTERNAL));
        first.ledger().record(CopyLedger.copy(EXTERNAL));
        attemptCleanup().afterFailure(first); // the next hop failed on EXTERNAL_2's copy

        assertThat(fixture.transfers.state(id))
                .as("not failed: its links reached someone")
                .contains(MessageState.PENDING);
        assertThat(cleanup.abandoned(StepFixture.NOW.plus(Duration.ofDays(1)), 10))
                .as("never purged as abandoned")
                .isEmpty();
        int files = fixture.count("stored_file");

        MailTransaction retry = attempt(INTERNAL, EXTERNAL_2, EXTERNAL); // grouped otherwise

        assertThat(retry.recorded().messageId()).isEqualTo(id);
        assertThat(retry.recorded().linkTokens()).isEqualTo(first.recorded().linkTokens());
        assertThat(retry.recorded().manageToken()).isEqualTo(first.recorded().manageToken());
        assertThat(retry.recorded().files()).isEqualTo(first.recorded().files());
        assertThat(retry.ledger().accepted(CopyLedger.copy(EXTERNAL))).isTrue();
        assertThat(retry.ledger().accepted(CopyLedger.original(INTERNAL))).isTrue();
        assertThat(retry.ledger().accepted(CopyLedger.copy(EXTERNAL_2))).isFalse();
        assertThat(retry.ledger().accepted(CopyLedger.RECEIPT)).isFalse();
        assertThat(fixture.count("message")).isEqualTo(1);
        assertThat(fixture.count("stored_file")).as("nothing stored again").isEqualTo(files);
        assertThat(fixture.count("copy_retry")).isEqualTo(1);
    }

    @Test
    void applyWhenFailedAttemptRetriedThenBackToPendingWhileItGoesOn() throws Exception {
        MailTransaction first = attempt(EXTERNAL, EXTERNAL_2);
        first.ledger().record(CopyLedger.copy(EXTERNAL));
        fixture.transfers.markState(first.recorded().messageId(), MessageState.FAILED); // an older version's 451

        MailTransaction retry = attempt(EXTERNAL, EXTERNAL_2);

        assertThat(retry.recorded().messageId()).isEqualTo(first.recorded().messageId());
        assertThat(fixture.transfers.state(retry.recorded().messageId())).contains(MessageState.PENDING);
    }

    @Test
    void applyWhenNoCopyOfTheFirstAttemptWentOutThenRetryStartsAfresh() throws Exception {
        MailTransaction first = attempt(EXTERNAL, EXTERNAL_2);
        attemptCleanup().afterFailure(first);

        MailTransaction retry = attempt(EXTERNAL, EXTERNAL_2);

        assertThat(fixture.transfers.state(first.recorded().messageId())).contains(MessageState.FAILED);
        assertThat(retry.recorded().messageId()).isNotEqualTo(first.recorded().messageId());
        assertThat(retry.recorded().linkTokens().get(EXTERNAL))
                .isNotEqualTo(first.recorded().linkTokens().get(EXTERNAL));
        assertThat(cleanup.abandoned(StepFixture.NOW.plus(Duration.ofDays(1)), 10))
                .contains(first.recorded().messageId());
    }

    @Test
    void applyWhenRetryHasALinkRecipientTheFirstAttemptHadNotThenAfresh() throws Exception {
        MailTransaction first = attempt(EXTERNAL);
        first.ledger().record(CopyLedger.copy(EXTERNAL));
        attemptCleanup().afterFailure(first);

        MailTransaction other = attempt(EXTERNAL, EXTERNAL_2);

        assertThat(other.recorded().messageId()).isNotEqualTo(first.recorded().messageId());
        assertThat(other.ledger().accepted(CopyLedger.copy(EXTERNAL))).isFalse();
    }

    @Test
    void applyWhenTheMailWasSplitOverTransactionsThenEachRetryGoesOnWithItsOwnMessage() throws Exception {
        MailTransaction part1 = attempt(EXTERNAL); // a recipient limit upstream: two transactions
        part1.ledger().record(CopyLedger.copy(EXTERNAL));
        attemptCleanup().afterFailure(part1);
        MailTransaction part2 = attempt(EXTERNAL_2);
        part2.ledger().record(CopyLedger.copy(EXTERNAL_2));
        attemptCleanup().afterFailure(part2);

        MailTransaction retry1 = attempt(EXTERNAL);
        MailTransaction retry2 = attempt(EXTERNAL_2);

        assertThat(part2.recorded().messageId()).isNotEqualTo(part1.recorded().messageId());
        assertThat(retry1.recorded().messageId()).isEqualTo(part1.recorded().messageId());
        assertThat(retry2.recorded().messageId()).isEqualTo(part2.recorded().messageId());
        assertThat(fixture.count("message")).isEqualTo(2);
    }

    @Test
    void applyWhenRetriedAfterEverythingWentOutThenDoneWhateverTheGrouping() throws Exception {
        MailTransaction first = attempt(EXTERNAL, INTERNAL);
        first.ledger().record(CopyLedger.original(INTERNAL));
        first.ledger().record(CopyLedger.copy(EXTERNAL));
        first.ledger().record(CopyLedger.RECEIPT);
        new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions).apply(first);

        MailTransaction retry = fixture.parsed(raw, INTERNAL, EXTERNAL);

        assertThat(fixture.storeStep().apply(retry)).isEqualTo(Next.DONE);
        assertThat(fixture.count("message")).isEqualTo(1);

        MailTransaction wider = fixture.parsed(raw, INTERNAL, EXTERNAL, EXTERNAL_2);
        assertThat(fixture.storeStep().apply(wider))
                .as("a recipient that got nothing yet")
                .isEqualTo(Next.CONTINUE);
        assertThat(wider.recorded().messageId()).isNotEqualTo(first.recorded().messageId());
    }

    @Test
    void messageKeyWhenRecipientsDifferThenSameAndWhenSenderDiffersThenNot() throws Exception {
        Path spool = Files.write(dir.resolve("m.eml"), raw);
        Envelope one = new Envelope(StepFixture.SENDER, List.of(EXTERNAL), "127.0.0.1", "test");
        Envelope other = new Envelope(StepFixture.SENDER, List.of(EXTERNAL, "x@example.org"), "127.0.0.1", "test");
        String key = CopyRetry.messageKey(one, spool);

        // the value stored in copy_retry since it was added: SHA-256 of the sender line, a zero byte, the bytes
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(("from " + StepFixture.SENDER + "\n\0").getBytes(StandardCharsets.UTF_8));
        sha.update(raw);
        assertThat(key).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        assertThat(CopyRetry.messageKey(other, spool)).isEqualTo(key);
        assertThat(CopyRetry.messageKey(new Envelope("other@example.jp", List.of(EXTERNAL), "", ""), spool))
                .isNotEqualTo(key);
        assertThat(key)
                .isNotEqualTo(StoreStep.fingerprint(one, spool))
                .as("a retry fingerprint names the recipients, the key does not");
        assertThat(StoreStep.fingerprint(one, spool)).isNotEqualTo(StoreStep.fingerprint(other, spool));
    }

    @Test
    void messageKeyWhenListenerComputedItThenUsedWithoutReadingTheSpool() throws Exception {
        Envelope withKey = new Envelope(StepFixture.SENDER, List.of(EXTERNAL), "", "", "", "ab".repeat(32));

        assertThat(CopyRetry.messageKey(withKey, dir.resolve("absent.eml"))).isEqualTo("ab".repeat(32));
        assertThat(StoreStep.fingerprint(withKey, dir.resolve("absent.eml")))
                .isEqualTo(Envelope.fingerprintOf(StepFixture.SENDER, List.of(EXTERNAL), "ab".repeat(32)));
    }
}
