package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.storage.BlobStore;
import dev.todoke.transfer.MessageState;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AttemptCleanupTest extends StepTestBase {

    private final byte[] raw = StepFixture.withOneAttachment();

    @Test
    void afterFailureWhenRecordedThenMessageMarkedFailedAndBlobsKept() throws Exception {
        MailTransaction mail = fixture.stored(raw, EXTERNAL);

        new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK).afterFailure(mail);

        assertThat(fixture.transfers.state(mail.recorded().messageId())).contains(MessageState.FAILED);
        assertThat(fixture.blobs.size(mail.writtenBlobs().get(0))).isEqualTo(3);
    }

    @Test
    void afterFailureWhenBlobsWithoutRowsThenDeleted() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        String key = fixture.blobs.put(InputStream.nullInputStream()).key();
        mail.writtenBlobs().add(key);

        new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK).afterFailure(mail);

        assertThat(fixture.count("orphan_blob")).isZero();
        assertThat(Files.walk(dir.resolve("blobs")).filter(Files::isRegularFile))
                .isEmpty();
    }

    @Test
    void afterFailureWhenBlobsCannotBeDeletedThenRecordedAsOrphans() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        mail.writtenBlobs().add("k1");
        BlobStore undeletable = FaultyBlobStore.deletesFail(fixture.blobs);

        new AttemptCleanup(fixture.transfers, undeletable, StepFixture.CLOCK).afterFailure(mail);

        assertThat(fixture.jdbc
                        .sql("select blob_key from orphan_blob")
                        .query(String.class)
                        .single())
                .isEqualTo("k1");
    }

    @Test
    void deleteSpooledCopiesWhenCalledThenEveryCopyGone() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        Path copy = Files.createFile(dir.resolve("copy.eml"));
        mail.addSpooledCopy(copy);
        mail.addSpooledCopy(dir.resolve("never-written.eml"));

        new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK).deleteSpooledCopies(mail);

        assertThat(copy).doesNotExist();
        assertThat(mail.spool()).exists();
    }
}
