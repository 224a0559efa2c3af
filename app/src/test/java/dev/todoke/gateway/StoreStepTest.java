package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.MailStep.Next;
import dev.todoke.link.LinkTokens;
import dev.todoke.policy.Policies;
import dev.todoke.smtp.Envelope;
import dev.todoke.storage.FaultyBlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreStepTest extends StepTestBase {

    private static final byte[] PDF = TestMails.randomBytes(100_000, 1);
    private static final byte[] CSV = "a,b\n1,2\n".getBytes();

    private byte[] raw;

    @BeforeEach
    void setUp() throws Exception {
        raw = TestMails.mail()
                .to(EXTERNAL)
                .attach("見積書.pdf", PDF)
                .attach("a.csv", CSV)
                .build();
    }

    @Test
    void applyWhenAttachmentsThenEachStoredOnceAndMessageFilesAndLinksRecordedPending() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL, INTERNAL, EXTERNAL_2);

        Next next = fixture.storeStep().apply(mail);

        assertThat(next).isEqualTo(Next.CONTINUE);
        assertThat(mail.isWriting()).isTrue();
        MailTransaction.Recorded recorded = mail.recorded();
        assertThat(fixture.transfers.state(recorded.messageId())).contains(MessageState.PENDING);
        assertThat(recorded.files()).extracting(StoredFile::name).containsExactly("見積書.pdf", "a.csv");
        assertThat(mail.writtenBlobs())
                .containsExactlyElementsOf(
                        recorded.files().stream().map(StoredFile::blobKey).toList());
        try (InputStream in = fixture.blobs.open(recorded.files().get(0).blobKey())) {
            assertThat(in.readAllBytes()).isEqualTo(PDF);
        }
        assertThat(recorded.expiresAt()).isEqualTo(StepFixture.NOW.plus(Duration.ofDays(7)));
        assertThat(recorded.linkTokens()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        assertThat(fixture.count("stored_file")).isEqualTo(2);
        assertThat(fixture.jdbc
                        .sql("select token_hash from link where recipient = ?")
                        .param(EXTERNAL)
                        .query(String.class)
                        .single())
                .isEqualTo(LinkTokens.hash(recorded.linkTokens().get(EXTERNAL)));
        assertThat(fixture.jdbc
                        .sql("select manage_token_hash from message")
                        .query(String.class)
                        .single())
                .isEqualTo(LinkTokens.hash(recorded.manageToken()));
    }

    @Test
    void applyWhenStoredPoliciesSetTheExpiryThenDefaultCutToTheMaximumAndTheMaximumRecorded() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        mail.storedExpiry(new Policies.Expiry(
                java.util.Optional.of(Duration.ofDays(10)), java.util.Optional.of(Duration.ofDays(3))));

        fixture.storeStep().apply(mail);

        assertThat(mail.recorded().expiresAt()).isEqualTo(StepFixture.NOW.plus(Duration.ofDays(3)));
        assertThat(fixture.jdbc
                        .sql("select max_expires_at from message")
                        .query(java.time.OffsetDateTime.class)
                        .single()
                        .toInstant())
                .isEqualTo(StepFixture.NOW.plus(Duration.ofDays(3)));
    }

    @Test
    void applyWhenSameTransactionWasRelayedBeforeThenDoneWithoutStoringAgain() throws Exception {
        MailTransaction first = fixture.stored(raw, EXTERNAL);
        fixture.transfers.markState(first.recorded().messageId(), MessageState.RELAYED);
        MailTransaction retry = fixture.parsed(raw, EXTERNAL);

        assertThat(fixture.storeStep().apply(retry)).isEqualTo(Next.DONE);
        assertThat(retry.writtenBlobs()).isEmpty();
        assertThat(retry.recorded()).isNull();
        assertThat(fixture.count("message")).isEqualTo(1);
    }

    @Test
    void applyWhenFirstAttemptFailedThenStoresAgain() throws Exception {
        MailTransaction first = fixture.stored(raw, EXTERNAL);
        fixture.transfers.markState(first.recorded().messageId(), MessageState.FAILED);

        assertThat(fixture.storeStep().apply(fixture.parsed(raw, EXTERNAL))).isEqualTo(Next.CONTINUE);
        assertThat(fixture.count("message")).isEqualTo(2);
    }

    @Test
    void applyWhenStoreFailsHalfWayThenWrittenBlobsKnownAndNothingRecorded() throws Exception {
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        StoreStep step = new StoreStep(
                new AttachmentStore(FaultyBlobStore.putsFailAfter(1, fixture.blobs)),
                fixture.transfers,
                new LinkTokens(new SecureRandom()),
                fixture.links,
                fixture.copyRetry(),
                StepFixture.CLOCK);

        assertThatThrownBy(() -> step.apply(mail)).isInstanceOf(StorageException.class);
        assertThat(mail.writtenBlobs()).hasSize(1);
        assertThat(mail.recorded()).isNull();
        assertThat(fixture.count("message")).isZero();
    }

    @Test
    void fingerprintWhenEnvelopeDiffersThenDiffers() throws Exception {
        MailTransaction a = fixture.mail(raw, EXTERNAL);
        MailTransaction b = fixture.mail(raw, EXTERNAL_2);
        MailTransaction c = fixture.mail(raw, EXTERNAL);

        assertThat(StoreStep.fingerprint(a.envelope(), a.spool()))
                .isEqualTo(StoreStep.fingerprint(c.envelope(), c.spool()))
                .isNotEqualTo(StoreStep.fingerprint(b.envelope(), b.spool()));
    }

    @Test
    void fingerprintWhenListenerComputedItThenUsedWithoutReadingTheSpool() throws Exception {
        MailTransaction a = fixture.mail(raw, EXTERNAL);
        String fromSpool = StoreStep.fingerprint(a.envelope(), a.spool());
        Envelope e = a.envelope();
        Envelope withFingerprint = new Envelope(e.sender(), e.recipients(), e.clientAddress(), e.heloName(), fromSpool);

        assertThat(StoreStep.fingerprint(withFingerprint, a.spool().resolveSibling("absent.eml")))
                .isEqualTo(fromSpool);
    }
}
