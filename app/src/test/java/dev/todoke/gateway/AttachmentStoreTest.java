package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.todoke.mime.Attachment;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.FileSystemBlobStore;
import dev.todoke.storage.KeyRing;
import dev.todoke.storage.StorageException;
import dev.todoke.storage.StoredBlob;
import dev.todoke.storage.ZeroKnowledgeFormat;
import dev.todoke.transfer.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.input.ReadAheadInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentStoreTest {

    /** Decoded 6.5 MB: about 8.8 MB of base64 in the spool, over the read-ahead threshold. */
    private static final byte[] LARGE = TestMails.randomBytes(6_500_000, 11);

    private static final byte[] SMALL = TestMails.randomBytes(100_000, 12);

    @TempDir
    Path dir;

    private BlobStore blobs;

    @BeforeEach
    void setUp() {
        blobs = new EncryptingBlobStore(
                new FileSystemBlobStore(dir.resolve("blobs"), new SecureRandom()),
                KeyRing.of(Map.of("t", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), "t"),
                new SecureRandom());
    }

    @Test
    void encodedSizeWhenParsedThenTheBase64BodyLengthInTheSpool() throws Exception {
        List<? extends Attachment> attachments = parse(LARGE, SMALL);

        assertThat(attachments.get(0).encodedSize())
                .isGreaterThan(LARGE.length * 4L / 3)
                .isLessThan(LARGE.length * 4L / 3 * 78 / 76 + 100);
        assertThat(attachments.get(1).encodedSize()).isLessThan(AttachmentStore.READ_AHEAD_THRESHOLD);
    }

    @Test
    void readAheadWhenEncodedSizeAtLeastTheThresholdThenReadAheadElseTheSameStream() throws Exception {
        InputStream digesting = new ByteArrayInputStream(new byte[0]);

        assertThat(AttachmentStore.readsAhead(sized(AttachmentStore.READ_AHEAD_THRESHOLD - 1)))
                .isFalse();
        assertThat(AttachmentStore.readsAhead(sized(-1))).isFalse();
        assertThat(AttachmentStore.readsAhead(sized(AttachmentStore.READ_AHEAD_THRESHOLD)))
                .isTrue();
        try (InputStream in = AttachmentStore.readAhead(digesting)) {
            assertThat(in).isInstanceOf(ReadAheadInputStream.class).isNotSameAs(digesting);
        }
    }

    @Test
    void storeAllWhenLargeAttachmentThenStoredSha256AndDecryptedBytesRight() throws Exception {
        List<String> written = new ArrayList<>();

        List<StoredFile> stored = new AttachmentStore(blobs).storeAll(parse(LARGE, SMALL), written);

        assertThat(stored).extracting(StoredFile::size).containsExactly((long) LARGE.length, (long) SMALL.length);
        assertThat(stored).extracting(StoredFile::sha256).containsExactly(sha256(LARGE), sha256(SMALL));
        assertThat(written)
                .containsExactlyElementsOf(
                        stored.stream().map(StoredFile::blobKey).toList());
        try (InputStream in = blobs.open(stored.get(0).blobKey())) {
            assertThat(in.readAllBytes()).isEqualTo(LARGE);
        }
        try (InputStream in = blobs.open(stored.get(1).blobKey())) {
            assertThat(in.readAllBytes()).isEqualTo(SMALL);
        }
    }

    @Test
    void storeAllWhenLargeAttachmentAndDataKeyThenCiphertextOpensToTheBytesAndSha256OfThePlaintext() throws Exception {
        byte[] dataKey = ZeroKnowledgeFormat.newKey(new SecureRandom());

        List<StoredFile> stored = new AttachmentStore(blobs).storeAll(parse(LARGE), new ArrayList<>(), dataKey);

        StoredFile file = stored.get(0);
        assertThat(file.size()).isEqualTo(LARGE.length);
        assertThat(file.sha256()).isEqualTo(sha256(LARGE));
        try (InputStream in = ZeroKnowledgeFormat.decrypt(blobs.open(file.blobKey()), dataKey)) {
            assertThat(in.readAllBytes()).isEqualTo(LARGE);
        }
    }

    @Test
    void storeAllWhenStoreFailsHalfWayThroughALargeAttachmentThenThrowsAndTheSourceIsClosed() {
        TrackedAttachment attachment = new TrackedAttachment(LARGE);
        BlobStore failing = new BlobStore() {
            @Override
            public StoredBlob put(InputStream content) {
                try {
                    content.readNBytes(200_000);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                throw new StorageException("store down");
            }

            @Override
            public InputStream open(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public InputStream open(String key, long offset, long length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long size(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void delete(String key) {}
        };

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            List<String> written = new ArrayList<>();
            assertThatThrownBy(() -> new AttachmentStore(failing).storeAll(List.of(attachment), written))
                    .isInstanceOf(StorageException.class);
            assertThat(written).isEmpty();
        });
        assertThat(attachment.closed).isTrue();
    }

    private List<? extends Attachment> parse(byte[]... files) throws Exception {
        TestMails.Builder mail = TestMails.mail().to(StepFixture.EXTERNAL);
        for (int i = 0; i < files.length; i++) {
            mail.attach("file-" + i + ".bin", files[i]);
        }
        Path spool = Files.write(dir.resolve("spool.eml"), mail.build());
        ParsedMessage parsed = new MimeParser(MimeLimits.defaults()).parse(spool);
        return parsed.attachments();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return TestMails.sha256(bytes);
    }

    private static Attachment sized(long encodedSize) {
        return new TrackedAttachment(new byte[0]) {
            @Override
            public long encodedSize() {
                return encodedSize;
            }
        };
    }

    /** An attachment of these bytes, with an encoded size over the threshold, whose stream records its use. */
    private static class TrackedAttachment implements Attachment {
        private final byte[] bytes;
        volatile boolean closed;

        TrackedAttachment(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String fileName() {
            return "a.bin";
        }

        @Override
        public String contentType() {
            return "application/octet-stream";
        }

        @Override
        public long encodedSize() {
            return AttachmentStore.READ_AHEAD_THRESHOLD * 2;
        }

        @Override
        public InputStream openDecoded() {
            return new ByteArrayInputStream(bytes) {
                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }
}
