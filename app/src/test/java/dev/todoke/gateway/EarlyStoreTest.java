package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.todoke.TodokeProperties;
import dev.todoke.database.Durability;
import dev.todoke.mime.Attachment;
import dev.todoke.mime.MimeLimits;
import dev.todoke.mime.MimeParser;
import dev.todoke.smtp.SpoolWatch;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StorageException;
import dev.todoke.storage.ZeroKnowledgeFormat;
import dev.todoke.transfer.StoredFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early store with the real encrypting filesystem store and a spool file written as the listener does. */
class EarlyStoreTest {

    private static final byte[] LARGE = TestMails.randomBytes(3_000_000, 31);
    private static final byte[] SMALL = TestMails.randomBytes(50_000, 32);

    @TempDir
    Path dir;

    private StepFixture fixture;
    private BlobStore blobs;
    private AttemptCleanup cleanup;
    private Path spool;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new StepFixture(dir);
        blobs = fixture.blobs;
        cleanup = new AttemptCleanup(fixture.transfers, blobs, StepFixture.CLOCK);
        spool = dir.resolve("spool.eml");
    }

    @Test
    void storeAllWhenTheLargeAttachmentWasStoredEarlyThenAdoptedAndTheSmallOneStoredAsUsual() throws Exception {
        byte[] mail = mail(LARGE, SMALL);
        EarlyStore early = new EarlyStore(spool, blobs, e -> {});
        receive(mail, early, true);
        List<String> written = new ArrayList<>();

        List<StoredFile> stored;
        try (early) {
            List<? extends Attachment> attachments = parse();
            stored = new AttachmentStore(blobs).storeAll(attachments, written, null, early);
        }

        assertThat(blobCount())
                .as("the early blob adopted, the small one stored: nothing deleted")
                .isEqualTo(2);
        assertThat(stored).extracting(StoredFile::size).containsExactly((long) LARGE.length, (long) SMALL.length);
        assertThat(stored)
                .extracting(StoredFile::sha256)
                .containsExactly(TestMails.sha256(LARGE), TestMails.sha256(SMALL));
        assertThat(stored).extracting(StoredFile::name).containsExactly("file-0.bin", "file-1.bin");
        assertThat(written)
                .containsExactlyElementsOf(
                        stored.stream().map(StoredFile::blobKey).toList());
        try (InputStream in = blobs.open(stored.get(0).blobKey())) {
            assertThat(in.readAllBytes()).isEqualTo(LARGE);
        }
    }

    @Test
    void closeWhenNothingWasAdoptedThenTheEarlyBlobsAreDeleted() throws Exception {
        List<EarlyStore.Closed> closed = new ArrayList<>();
        EarlyStore early = new EarlyStore(spool, blobs, closed::add);
        receive(mail(LARGE, LARGE), early, true);
        assertThat(early.adopt(parse().get(0))).isPresent();
        assertThat(early.adopt(parse().get(0))).as("adopted once").isEmpty();
        assertThat(blobCount()).isEqualTo(2);

        early.close();
        early.close();

        assertThat(blobCount()).as("the adopted blob stays, the other goes").isEqualTo(1);
        assertThat(closed).singleElement().isEqualTo(new EarlyStore.Closed(early, 1, 1, List.of()));
    }

    @Test
    void storeAllWhenZeroKnowledgeThenNothingAdoptedAndTheEarlyBlobDeletedOnClose() throws Exception {
        EarlyStore early = new EarlyStore(spool, blobs, e -> {});
        receive(mail(LARGE), early, true);
        byte[] dataKey = ZeroKnowledgeFormat.newKey(new SecureRandom());

        List<StoredFile> stored = new AttachmentStore(blobs).storeAll(parse(), new ArrayList<>(), dataKey, early);
        early.close();

        assertThat(blobCount()).isEqualTo(1);
        try (InputStream in =
                ZeroKnowledgeFormat.decrypt(blobs.open(stored.get(0).blobKey()), dataKey)) {
            assertThat(in.readAllBytes()).isEqualTo(LARGE);
        }
    }

    @Test
    void endedWhenIncompleteThenTheFollowingStopsAndNothingIsLeft() throws Exception {
        byte[] mail = mail(LARGE);
        List<EarlyStore.Closed> closed = new ArrayList<>();
        EarlyStore told = new EarlyStore(spool, blobs, closed::add);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (OutputStream out = Files.newOutputStream(spool)) {
                out.write(mail, 0, mail.length / 2);
                out.flush();
                told.grown(mail.length / 2);
                told.ended(false);
            }
            told.close();
        });

        assertThat(blobCount()).isZero();
        assertThat(closed).extracting(EarlyStore.Closed::early).containsExactly(told);
    }

    @Test
    void closeWhileWaitingForMoreDataThenReturnsAndLeavesNothing() throws Exception {
        byte[] mail = mail(LARGE);
        Set<Thread> earlier = earlyStoreThreads();
        EarlyStore early = new EarlyStore(spool, blobs, e -> {});
        try (OutputStream out = Files.newOutputStream(spool)) {
            out.write(mail, 0, mail.length - 1000);
            out.flush();
            early.grown(mail.length - 1000);
            awaitFollowerWaiting(earlier); // it has read up to there and waits for the rest

            assertTimeoutPreemptively(Duration.ofSeconds(10), early::close);
        }

        assertThat(blobCount()).isZero();
    }

    /**
     * Until this test's following thread (one not among {@code earlier}) waits for more of the file, the only
     * place where it waits without a timeout.
     */
    private static void awaitFollowerWaiting(Set<Thread> earlier) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean waiting = earlyStoreThreads().stream()
                    .anyMatch(t -> !earlier.contains(t) && t.getState() == Thread.State.WAITING);
            if (waiting) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the early store's thread never waited for more data");
    }

    private static Set<Thread> earlyStoreThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("todoke-early-store"))
                .collect(Collectors.toSet());
    }

    @Test
    void watchWhenInboundOrOnlyInternalOrOffThenNoneElseAnEarlyStoreFoundBySpool() {
        TodokeProperties todoke =
                new TodokeProperties(URI.create("https://files.example.jp"), dir, List.of("example.jp"));
        EarlyStores stores = new EarlyStores(blobs, todoke, true, new SimpleMeterRegistry(), cleanup, 4);

        assertThat(stores.watch("someone@partner.example", List.of(StepFixture.EXTERNAL), spool))
                .isSameAs(SpoolWatch.NONE);
        assertThat(stores.watch(StepFixture.SENDER, List.of(StepFixture.INTERNAL), spool))
                .isSameAs(SpoolWatch.NONE);
        assertThat(EarlyStores.off().watch(StepFixture.SENDER, List.of(StepFixture.EXTERNAL), spool))
                .isSameAs(SpoolWatch.NONE);

        SpoolWatch watch = stores.watch(StepFixture.SENDER, List.of(StepFixture.INTERNAL, StepFixture.EXTERNAL), spool);
        assertThat(watch).isInstanceOf(EarlyStore.class);
        assertThat(stores.find(spool)).isSameAs(watch);
        assertThat(stores.watch("", List.of(StepFixture.EXTERNAL), dir.resolve("bounce.eml")))
                .isInstanceOf(EarlyStore.class);

        watch.close();
        assertThat(stores.find(spool)).isNull();
        assertThat(stores.running()).isEqualTo(1);
    }

    @Test
    void watchWhenAsManyRunAsTheLimitThenNoneUntilOneCloses() {
        TodokeProperties todoke =
                new TodokeProperties(URI.create("https://files.example.jp"), dir, List.of("example.jp"));
        EarlyStores stores = new EarlyStores(blobs, todoke, true, new SimpleMeterRegistry(), cleanup, 2);
        List<String> to = List.of(StepFixture.EXTERNAL);

        SpoolWatch first = stores.watch(StepFixture.SENDER, to, dir.resolve("1.eml"));
        SpoolWatch second = stores.watch(StepFixture.SENDER, to, dir.resolve("2.eml"));
        SpoolWatch third = stores.watch(StepFixture.SENDER, to, dir.resolve("3.eml"));

        assertThat(List.of(first, second)).allSatisfy(w -> assertThat(w).isInstanceOf(EarlyStore.class));
        assertThat(third).isSameAs(SpoolWatch.NONE);
        first.close();
        assertThat(stores.watch(StepFixture.SENDER, to, dir.resolve("4.eml"))).isInstanceOf(EarlyStore.class);
    }

    @Test
    void closeWhenAnUnusedBlobCannotBeDeletedThenItIsRecordedForThePurger() throws Exception {
        BlobStore undeletable = new DurableBlobDeletes(blobs, new Durability() {
            @Override
            public void barrier() {
                throw new StorageException("store down");
            }

            @Override
            public Scope deferred() {
                return () -> {};
            }
        });
        EarlyStores stores = new EarlyStores(undeletable, fixture.todoke, true, new SimpleMeterRegistry(), cleanup, 1);
        SpoolWatch watch = stores.watch(StepFixture.SENDER, List.of(StepFixture.EXTERNAL), spool);
        receive(mail(LARGE, LARGE), watch, true);
        // the first adopted (which waits for the follower), the second never: its delete is refused
        assertThat(((EarlyStore) watch).adopt(parse().get(0))).isPresent();

        watch.close();

        assertThat(blobCount()).isEqualTo(2);
        assertThat(fixture.jdbc
                        .sql("select count(*) from orphan_blob")
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    /** Writes the mail to the spool in pieces, telling the watch after each, as the listener does. */
    private void receive(byte[] mail, SpoolWatch watch, boolean complete) throws Exception {
        try (OutputStream out = Files.newOutputStream(spool)) {
            int piece = 256 * 1024;
            for (int at = 0; at < mail.length; at += piece) {
                int n = Math.min(piece, mail.length - at);
                out.write(mail, at, n);
                out.flush();
                watch.grown(at + n);
            }
        }
        watch.ended(complete);
    }

    private static byte[] mail(byte[]... files) throws Exception {
        TestMails.Builder mail = TestMails.mail().to(StepFixture.EXTERNAL);
        for (int i = 0; i < files.length; i++) {
            mail.attach("file-" + i + ".bin", files[i]);
        }
        return mail.build();
    }

    private List<? extends Attachment> parse() throws Exception {
        return new MimeParser(MimeLimits.defaults()).parse(spool).attachments();
    }

    private long blobCount() throws Exception {
        Path root = dir.resolve("blobs");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
