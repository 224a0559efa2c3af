package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.mime.CmsFixtures;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.FaultyBlobStore;
import dev.todoke.transfer.MessageState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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
    void releaseFilesWhenCalledThenEveryCopyGone() throws Exception {
        MailTransaction mail = fixture.mail(raw, EXTERNAL);
        Path copy = Files.createFile(dir.resolve("copy.eml"));
        mail.addSpooledCopy(copy);
        mail.addSpooledCopy(dir.resolve("never-written.eml"));

        new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK).releaseFiles(mail);

        assertThat(copy).doesNotExist();
        assertThat(mail.spool()).exists();
    }

    @Test
    void releaseFilesWhenOpaqueSignedDataWasUnwrappedThenTheDerivedFileIsGone() throws Exception {
        String signed = CmsFixtures.SIGNED_CONTENT_WITH_PDF;
        String p7m = Base64.getMimeEncoder().encodeToString(CmsFixtures.signedData(signed));
        byte[] raw = ("From: sender@example.jp\r\nTo: " + EXTERNAL + "\r\nSubject: smime\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                        + "Content-Disposition: attachment; filename=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n" + p7m + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MailTransaction mail = fixture.parsed(raw, EXTERNAL);
        Path derived = mail.parsed().source();
        assertThat(derived).isNotEqualTo(mail.spool()).exists();

        new AttemptCleanup(fixture.transfers, fixture.blobs, StepFixture.CLOCK).releaseFiles(mail);

        assertThat(derived).doesNotExist();
        assertThat(mail.spool()).exists();
    }
}
