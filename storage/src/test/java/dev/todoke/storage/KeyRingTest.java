package dev.todoke.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    @TempDir
    Path dir;

    @Test
    void loadOrGenerateWhenNoFileThenWritesOwnerOnlyKeyFileAndLoadsItAgain() throws IOException {
        Path file = dir.resolve("keys").resolve("kek.properties");

        KeyRing generated = KeyRing.loadOrGenerate(file, new SecureRandom());
        KeyRing reloaded = KeyRing.loadOrGenerate(file, new SecureRandom());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(generated.primaryId()).matches("local-[0-9a-f]{8}");
        assertThat(reloaded.primaryId()).isEqualTo(generated.primaryId());
        assertThat(reloaded.ids()).containsExactly(generated.primaryId());
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file); // no temporary file left
        }
    }

    @Test
    void loadOrGenerateWhenFileGeneratedThenBlobsWrittenWithItAreReadableAfterReload() throws IOException {
        Path file = dir.resolve("kek.properties");
        BlobStore backend = new FileSystemBlobStore(dir.resolve("blobs"), new SecureRandom());
        String key = new EncryptingBlobStore(
                        backend, KeyRing.loadOrGenerate(file, new SecureRandom()), new SecureRandom())
                .put(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}))
                .key();

        EncryptingBlobStore afterRestart =
                new EncryptingBlobStore(backend, KeyRing.loadOrGenerate(file, new SecureRandom()), new SecureRandom());

        assertThat(BlobStoreContract.read(afterRestart.open(key))).containsExactly(1, 2, 3);
    }

    @Test
    void ofWhenPrimaryMissingThenErrorNamesItAndTheRing() {
        assertThatThrownBy(() -> KeyRing.of(Map.of("k1", TestKeys.OLD), "k2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("primary key-encryption key 'k2' is not in the key ring [k1]");
    }

    @Test
    void ofWhenKeyIsNotBase64ThenErrorNamesTheIdButNotTheKey() {
        assertThatThrownBy(() -> KeyRing.of(Map.of("k1", "not base64 !!"), "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key-encryption key 'k1' is not valid base64");
    }

    @Test
    void ofWhenKeyHasWrongLengthThenErrorSaysHowToGenerateOne() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> KeyRing.of(Map.of("k1", short16), "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining(short16);
    }

    @Test
    void ofWhenEmptyOrBadIdThenError() {
        assertThatThrownBy(() -> KeyRing.of(Map.of(), "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> KeyRing.of(Map.of("bad id/", TestKeys.OLD), "bad id/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad id/' is invalid");
    }

    @Test
    void toStringWhenPrintedThenShowsIdsButNoKeyMaterial() {
        String text = TestKeys.rotated().toString();

        assertThat(text).contains("k1", "k2").doesNotContain(TestKeys.OLD, TestKeys.NEW);
    }

    @Test
    void loadWhenFileHasBadContentThenErrorNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.properties"), "primary=x\nkek.y=" + TestKeys.OLD + "\n");

        assertThatThrownBy(() -> KeyRing.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'x' is not in the key ring [y]");
    }
}
