package dev.todoke.gateway;

import dev.todoke.common.RowIds;
import dev.todoke.mime.Attachment;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.StoredBlob;
import dev.todoke.storage.ZeroKnowledgeFormat;
import dev.todoke.transfer.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.io.input.ReadAheadInputStream;

/**
 * Puts a message's attachments into the blob store, each once, streaming: the decoded bytes flow
 * through a SHA-256 digest into {@link BlobStore#put}, never whole into memory. Each stored attachment
 * becomes a {@link StoredFile} with a new random id, ready for {@code Transfers.insert}.
 */
final class AttachmentStore {

    /**
     * Encoded size (octets in the spool file) from which an attachment is read ahead on another thread.
     * The read-ahead shortens one large mail's path when a core is free; under concurrent mail both cores
     * are busy anyway and the hand-offs only cost (with a 1 MiB threshold the gateway benchmark's 1 MB rows
     * looked slower, within the machine's noise), so it is kept for the rare large attachment.
     */
    static final long READ_AHEAD_THRESHOLD = 8 * 1024 * 1024;

    /** Each of the read-ahead's two buffers: 4 of the encrypting store's 64 KiB segments. */
    private static final int READ_AHEAD_BUFFER = 256 * 1024;

    /** One virtual thread per read-ahead; nothing to shut down. */
    private static final ExecutorService READ_AHEAD_THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private final BlobStore store;

    AttachmentStore(BlobStore store) {
        this.store = store;
    }

    /**
     * Stores every attachment. Each blob key is added to {@code written} as soon as its blob exists, so
     * that a caller can clean up after a failure half way.
     *
     * @throws IOException when an attachment cannot be read from the spool
     * @throws dev.todoke.storage.StorageException when the store fails
     */
    List<StoredFile> storeAll(List<? extends Attachment> attachments, List<String> written) throws IOException {
        return storeAll(attachments, written, null);
    }

    /**
     * As {@link #storeAll(List, List)}; with a {@code dataKey}, each blob holds the zero-knowledge
     * ciphertext ({@link ZeroKnowledgeFormat}) and the file's size and SHA-256 are the plaintext's.
     */
    List<StoredFile> storeAll(List<? extends Attachment> attachments, List<String> written, byte[] dataKey)
            throws IOException {
        return storeAll(attachments, written, dataKey, null);
    }

    /**
     * As {@link #storeAll(List, List, byte[])}; without a {@code dataKey}, an attachment that {@code early}
     * stored while DATA arrived (ADR 0198) is adopted instead of being stored again.
     */
    List<StoredFile> storeAll(
            List<? extends Attachment> attachments, List<String> written, byte[] dataKey, EarlyStore early)
            throws IOException {
        List<StoredFile> stored = new ArrayList<>(attachments.size());
        for (Attachment attachment : attachments) {
            Optional<Put> adopted = dataKey == null && early != null ? early.adopt(attachment) : Optional.empty();
            Put put = adopted.isPresent()
                    ? adopted.get()
                    : put(attachment.openDecoded(), readsAhead(attachment), dataKey);
            written.add(put.key());
            stored.add(new StoredFile(
                    RowIds.next(),
                    attachment.ordinal(),
                    attachment.fileName(),
                    attachment.contentType(),
                    put.size(),
                    put.sha256(),
                    put.key()));
        }
        return stored;
    }

    /** A blob put into the store: its key, and the file's size and SHA-256 (hex). */
    record Put(String key, long size, String sha256) {}

    /**
     * Puts decoded bytes into the store, streaming them through a SHA-256 digest; when {@code readAhead},
     * they are read and decoded ahead on another thread while this one digests, encrypts and writes
     * (the two halves of the work about equal: with the digest on the read-ahead side, the 64 MB mail of
     * the gateway benchmark waited for it, docs/benchmarks.md, session 15); with a {@code dataKey} the blob holds the zero-knowledge ciphertext
     * and the size and SHA-256 are the plaintext's. Closes {@code decoded}.
     */
    Put put(InputStream decoded, boolean readAhead, byte[] dataKey) throws IOException {
        MessageDigest sha256 = sha256();
        // the source closed last and directly: closing the read-ahead does not wait for a read in flight
        try (InputStream source = decoded;
                InputStream ahead = readAhead ? readAhead(source) : source;
                DigestInputStream plaintext = new DigestInputStream(ahead, sha256)) {
            StoredBlob blob = store.put(dataKey == null ? plaintext : ZeroKnowledgeFormat.encrypt(plaintext, dataKey));
            long size = dataKey == null ? blob.size() : ZeroKnowledgeFormat.plaintextSize(blob.size());
            return new Put(blob.key(), size, HexFormat.of().formatHex(sha256.digest()));
        }
    }

    /**
     * Whether an attachment is read ahead ({@link #readAhead}): a large one, so that reading the spool and
     * decoding run on one core while SHA-256, encrypting and writing run on another; a small one is
     * read directly, where the hand-off would cost more than it saves.
     */
    static boolean readsAhead(Attachment attachment) {
        return attachment.encodedSize() >= READ_AHEAD_THRESHOLD;
    }

    /**
     * The decoded bytes read ahead on a virtual thread (Commons IO's double-buffered {@link
     * ReadAheadInputStream}). With an executor of ours, closing the
     * read-ahead does not wait for a read in flight: that task closes the source when its read returns
     * (the try-with-resources in {@link #put} closes it too), harmless for a spool file.
     */
    static InputStream readAhead(InputStream decoded) throws IOException {
        return ReadAheadInputStream.builder()
                .setInputStream(decoded)
                .setBufferSize(READ_AHEAD_BUFFER)
                .setExecutorService(READ_AHEAD_THREADS)
                .get();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
