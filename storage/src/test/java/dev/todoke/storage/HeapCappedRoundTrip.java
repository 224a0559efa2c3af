package dev.todoke.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Child-process side of {@link HeapCappedStreamingTest}: puts {@code size} pseudo-random bytes through
 * an encrypting store and reads them back, comparing SHA-256 digests. Run with a small {@code -Xmx}.
 *
 * <p>Arguments: {@code size fs <dir>} or {@code size s3 <endpoint> <bucket>}.
 */
public final class HeapCappedRoundTrip {

    private HeapCappedRoundTrip() {}

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        long size = Long.parseLong(args[0]);
        BlobStore backend = switch (args[1]) {
            case "fs" -> new FileSystemBlobStore(Path.of(args[2]), new SecureRandom());
            case "s3" ->
                S3BlobStore.connect(
                        S3Settings.pathStyle(args[2], args[3], S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY),
                        new SecureRandom());
            default -> throw new IllegalArgumentException(args[1]);
        };
        EncryptingBlobStore store = new EncryptingBlobStore(backend, TestKeys.first(), new SecureRandom());

        MessageDigest written = MessageDigest.getInstance("SHA-256");
        StoredBlob stored = store.put(new DigestInputStream(TestData.stream(size, 77), written));

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = store.open(stored.key())) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read.update(buffer, 0, n);
                count += n;
            }
        }
        String w = HexFormat.of().formatHex(written.digest());
        String r = HexFormat.of().formatHex(read.digest());
        System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory() + " stored=" + stored.size() + " read="
                + count + " written-sha256=" + w + " read-sha256=" + r);
        boolean ok = stored.size() == size && count == size && w.equals(r);
        System.out.println(ok ? "ROUND-TRIP-OK" : "ROUND-TRIP-MISMATCH");
        System.exit(ok ? 0 : 1);
    }
}
