package dev.todoke.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.TodokeProperties;
import dev.todoke.storage.BlobStore;
import dev.todoke.storage.EncryptingBlobStore;
import dev.todoke.storage.S3BlobStore;
import dev.todoke.storage.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class StorageConfigurationTest {

    static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
    static final String KEY_2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    static S3ProxyServer s3;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({TodokeProperties.class, StorageProperties.class})
    static class Base {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        SecureRandom secureRandom() {
            return new SecureRandom();
        }
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withUserConfiguration(Base.class, StorageConfiguration.class)
                .withPropertyValues(
                        "todoke.data-dir=" + dataDir, "todoke.internal-domains=example.jp", "todoke.storage.warm-up=0");
    }

    static byte[] roundTrip(BlobStore store, byte[] content) throws IOException {
        String key = store.put(new ByteArrayInputStream(content)).key();
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void blobStoreWhenEmbeddedDefaultsThenEncryptedFilesUnderDataDirAndOwnerOnlyKeyFile() throws IOException {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            BlobStore store = context.getBean(BlobStore.class);
            assertThat(store).isInstanceOf(EncryptingBlobStore.class);
            assertThat(roundTrip(store, "hello".getBytes())).isEqualTo("hello".getBytes());
        });

        Path keyFile = dataDir.resolve("keys/kek.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void blobStoreWhenRestartedOnSameDataDirThenEarlierBlobsStillReadable() {
        String[] key = new String[1];
        runner().run(context -> key[0] = context.getBean(BlobStore.class)
                .put(new ByteArrayInputStream(new byte[] {9}))
                .key());

        runner().run(context -> {
            try (InputStream in = context.getBean(BlobStore.class).open(key[0])) {
                assertThat(in.readAllBytes()).containsExactly(9);
            }
        });
    }

    @Test
    void blobStoreWhenKeysConfiguredAndRotatedThenOldBlobsStayReadable() {
        String[] key = new String[1];
        runner().withPropertyValues(
                        "todoke.storage.keys.primary=2026-05",
                        "todoke.storage.keys.kek[0].id=2026-05",
                        "todoke.storage.keys.kek[0].key=" + KEY_1)
                .run(context -> key[0] = context.getBean(BlobStore.class)
                        .put(new ByteArrayInputStream(new byte[] {4, 2}))
                        .key());

        runner().withPropertyValues(
                        "todoke.storage.keys.primary=2026-11",
                        "todoke.storage.keys.kek[0].id=2026-05",
                        "todoke.storage.keys.kek[0].key=" + KEY_1,
                        "todoke.storage.keys.kek[1].id=2026-11",
                        "todoke.storage.keys.kek[1].key=" + KEY_2)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    try (InputStream in = context.getBean(BlobStore.class).open(key[0])) {
                        assertThat(in.readAllBytes()).containsExactly(4, 2);
                    }
                });
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }

    @Test
    void startupWhenPrimaryKeyNotConfiguredThenFailsNamingTheSetting() {
        runner().withPropertyValues(
                        "todoke.storage.keys.primary=nope",
                        "todoke.storage.keys.kek[0].id=2026-05",
                        "todoke.storage.keys.kek[0].key=" + KEY_1)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("primary key-encryption key 'nope' is not in the key ring [2026-05]"));
    }

    @Test
    void startupWhenKeyIsNotBase64ThenFailsWithoutPrintingIt() {
        runner().withPropertyValues(
                        "todoke.storage.keys.primary=k",
                        "todoke.storage.keys.kek[0].id=k",
                        "todoke.storage.keys.kek[0].key=secret-not-base64!")
                .run(context -> {
                    assertThat(context).getFailure().rootCause().hasMessageContaining("'k' is not valid base64");
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("todoke.storage.keys");
                    assertThat(stackTrace(context.getStartupFailure())).doesNotContain("secret-not-base64");
                });
    }

    @Test
    void startupWhenS3EndpointWithoutSecretThenFailsNamingTheSettings() {
        runner().withPropertyValues("todoke.storage.s3.endpoint=" + s3.endpoint(), "todoke.storage.s3.access-key=a")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("access-key and secret-key are required"));
    }

    @Test
    void startupWhenS3WithoutConfiguredKeysThenFailsExplainingWhy() {
        runner().withPropertyValues(s3Properties("todoke-nokeys"))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("todoke.storage.keys.kek must be set"));
    }

    @Test
    void blobStoreWhenS3EndpointSetThenCiphertextLandsInTheBucket() {
        String bucket = "todoke-wired";
        runner().withPropertyValues(s3Properties(bucket))
                .withPropertyValues(
                        "todoke.storage.keys.primary=k",
                        "todoke.storage.keys.kek[0].id=k",
                        "todoke.storage.keys.kek[0].key=" + KEY_1)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BlobStore store = context.getBean(BlobStore.class);
                    byte[] content = "attachment bytes".getBytes();
                    String key = store.put(new ByteArrayInputStream(content)).key();
                    try (InputStream in = store.open(key)) {
                        assertThat(in.readAllBytes()).isEqualTo(content);
                    }
                    try (S3BlobStore raw = S3BlobStore.connect(s3.settings(bucket), new SecureRandom())) {
                        assertThat(raw.size(key)).isGreaterThan(content.length);
                    }
                });
        assertThat(dataDir.resolve("blobs")).doesNotExist();
    }

    @Test
    void startupWhenS3UnreachableThenFailsNamingTheEndpoint() {
        runner().withPropertyValues(
                        "todoke.storage.s3.endpoint=http://127.0.0.1:9",
                        "todoke.storage.s3.access-key=a",
                        "todoke.storage.s3.secret-key=b",
                        "todoke.storage.keys.primary=k",
                        "todoke.storage.keys.kek[0].id=k",
                        "todoke.storage.keys.kek[0].key=" + KEY_1)
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("http://127.0.0.1:9"));
    }

    private static String[] s3Properties(String bucket) {
        return new String[] {
            "todoke.storage.s3.endpoint=" + s3.endpoint(),
            "todoke.storage.s3.bucket=" + bucket,
            "todoke.storage.s3.access-key=" + S3ProxyServer.ACCESS_KEY,
            "todoke.storage.s3.secret-key=" + S3ProxyServer.SECRET_KEY
        };
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
