package dev.todoke.storage;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 server over HTTP inside the test JVM (S3Proxy), on a random loopback port. Public so that
 * other modules' tests can use it through the storage test-jar.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "todoke-test";
    public static final String SECRET_KEY = "todoke-test-secret-key";

    private final S3Proxy proxy;

    private S3ProxyServer(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Keeps objects in memory. */
    public static S3ProxyServer inMemory() {
        return start(new TransientNio2BlobStore());
    }

    /** Keeps objects as files under {@code dir} (for objects larger than the heap). */
    public static S3ProxyServer onDisk(Path dir) {
        return start(new FilesystemNio2BlobStore(dir.toString()));
    }

    private static S3ProxyServer start(BlobStore blobStore) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy: " + e, e);
        }
        return new S3ProxyServer(proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Path-style settings for a bucket on this server. */
    public S3Settings settings(String bucket) {
        return S3Settings.pathStyle(endpoint(), bucket, ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy: " + e, e);
        }
    }
}
